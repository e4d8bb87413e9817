//! Invitations to a project by e-mail: the stored side. A link's token is never stored, works
//! once, dies when revoked or resent, and an invitation stays inside its organization.

use crate::helpers::*;
use keel_domain::{Email, ProjectId, Role};
use keel_store::invitations::NewInvitation;

on_both_backends! {
    async fn an_invitation_link_works_once_and_dies_when_revoked_or_resent(backend) {
        let Some(app) = TestApp::demo(backend, "invitation_store").await else { return };
        let lead = app.store.user_by_email(&Email::parse("agency@demo.local").unwrap()).await.unwrap().unwrap();
        let project = app.store.project_by_slug(lead.org(), "client-a").await.unwrap().unwrap();
        let email = Email::parse("new.client@example.test").unwrap();
        let new = NewInvitation {
            org: lead.org(),
            project: project.id(),
            email: &email,
            role: Role::ClientOwner,
            lang: "ru",
            invited_by: lead.id(),
        };
        let (invitation, token) = app.store.create_invitation(&new).await.unwrap().expect("stored");
        assert_eq!(token.len(), 64, "256 random bits in hex");
        assert_eq!(invitation.role(), Some(Role::ClientOwner));
        assert_eq!(invitation.lang, "ru");
        let pending = app.store.pending_invitations(project.id()).await.unwrap();
        assert_eq!(pending.len(), 1);
        assert_eq!(pending[0].email, "new.client@example.test");

        // The link opens it; using it works once.
        assert!(app.store.invitation_by_token(&token).await.unwrap().is_some());
        assert!(app.store.invitation_by_token("not-a-token").await.unwrap().is_none());
        assert!(app.store.use_invitation(&token).await.unwrap().is_some());
        assert!(app.store.use_invitation(&token).await.unwrap().is_none());
        assert!(app.store.invitation_by_token(&token).await.unwrap().is_none());
        assert!(app.store.pending_invitations(project.id()).await.unwrap().is_empty());

        // Resending gives a new link and kills the old one.
        let (second, old) = app.store.create_invitation(&new).await.unwrap().unwrap();
        let (_, fresh) = app.store.resend_invitation(project.id(), second.id).await.unwrap().expect("resent");
        assert_ne!(old, fresh);
        assert!(app.store.invitation_by_token(&old).await.unwrap().is_none());
        assert!(app.store.invitation_by_token(&fresh).await.unwrap().is_some());

        // Revoking kills the link; another project's id cannot reach it.
        assert!(app.store.revoke_invitation(ProjectId(project.id + 1_000), second.id).await.unwrap().is_none());
        assert!(app.store.revoke_invitation(project.id(), second.id).await.unwrap().is_some());
        assert!(app.store.invitation_by_token(&fresh).await.unwrap().is_none());
        assert!(app.store.resend_invitation(project.id(), second.id).await.unwrap().is_none());
    }

    async fn an_invitation_stays_inside_its_organization(backend) {
        let Some(app) = TestApp::demo(backend, "invitation_tenancy").await else { return };
        let lead = app.store.user_by_email(&Email::parse("agency@demo.local").unwrap()).await.unwrap().unwrap();
        let project = app.store.project_by_slug(lead.org(), "client-a").await.unwrap().unwrap();
        let rival = app.store.ensure_org("rival", "Rival Agency").await.unwrap();
        let email = Email::parse("someone@example.test").unwrap();
        let into_other_org = NewInvitation {
            org: rival.id(),
            project: project.id(),
            email: &email,
            role: Role::Viewer,
            lang: "en",
            invited_by: lead.id(),
        };
        assert!(app.store.create_invitation(&into_other_org).await.unwrap().is_none());
    }
}
