//! Review links from the web: the guest's page (no account: the link is the credential) and
//! the project's side (add a guest approver, make, mail, list and revoke links).

pub mod guest;
pub mod manage;
