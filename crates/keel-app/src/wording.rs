//! The words for every refusal, and for the answers to decisions taken in a chat, in English
//! and Russian. The web, the API and the Telegram bot all word a [`Refusal`] here, so a rule
//! reads the same wherever it stops someone.

use crate::refusal::Refusal;
use keel_domain::Lang;

/// `refusal` in `lang`.
pub fn refusal(refusal: &Refusal, lang: Lang) -> String {
    let fixed = |en: &str, ru: &str| lang.pick(en, ru).to_owned();
    match refusal {
        Refusal::Connection(problem) => problem.text(lang),
        Refusal::NotFound => fixed("not found", "не найдено"),
        Refusal::Forbidden => fixed(
            "your role in this project does not allow this",
            "ваша роль в этом проекте этого не позволяет",
        ),
        Refusal::NotAgency => fixed(
            "only the agency team (agency lead, specialists) may do this to a post",
            "это может делать с постом только команда агентства (руководитель от агентства, специалисты)",
        ),
        Refusal::NotApprover => fixed(
            "only the project's designated approvers may approve or request changes",
            "согласовывать и запрашивать правки могут только назначенные согласующие проекта",
        ),
        Refusal::OwnPost => fixed(
            "nobody may approve or send back their own post",
            "нельзя согласовать или вернуть на доработку собственный пост",
        ),
        Refusal::ReadOnly => fixed(
            "viewers may read posts but not comment",
            "наблюдатели могут читать посты, но не комментировать их",
        ),
        Refusal::WrongState => fixed(
            "this action is not possible in the post's current state",
            "в текущем состоянии поста это действие невозможно",
        ),
        Refusal::CommentRequired => fixed(
            "field `comment`: say what should change (it becomes a suggestion)",
            "поле `comment`: напишите, что нужно изменить (это станет предложением)",
        ),
        Refusal::OpenSuggestions(n) => match lang {
            Lang::En => format!(
                "{n} suggestion(s) still open: mark each accepted, or declined with a reason, before resubmitting"
            ),
            Lang::Ru => format!(
                "открытых предложений: {n}; прежде чем отправить снова, отметьте каждое принятым или отклонённым с причиной"
            ),
        },
        Refusal::ChangedMeanwhile => fixed(
            "the post changed while you were acting on it (someone else decided or edited it); reload and try again",
            "пост изменился, пока вы с ним работали (кто-то уже принял решение или отредактировал его); обновите страницу и попробуйте снова",
        ),
        Refusal::WeakPassword(problem) => password_problem(*problem, lang).to_owned(),
        Refusal::LinkGone => fixed(
            "this link does not work any more: it was used, revoked, replaced by a newer one or it expired; ask for a new one",
            "ссылка больше не действует: ею уже воспользовались, её отозвали, заменили новой или истёк её срок; попросите новую",
        ),
        Refusal::LastLead(role) => match (lang, role) {
            (Lang::En, keel_domain::Role::ClientOwner) => {
                "this is the project's only client owner: add another client owner first, then remove this one"
                    .to_owned()
            }
            (Lang::Ru, keel_domain::Role::ClientOwner) => {
                "это единственный владелец проекта со стороны клиента: сначала добавьте другого, затем удалите этого"
                    .to_owned()
            }
            (Lang::En, _) => {
                "this is the project's only agency lead: add another agency lead first, then remove this one".to_owned()
            }
            (Lang::Ru, _) => {
                "это единственный руководитель проекта от агентства: сначала добавьте другого, затем удалите этого"
                    .to_owned()
            }
        },
        Refusal::Invalid { field, reason } => match lang {
            Lang::En => format!("field `{field}`: {reason}"),
            Lang::Ru => format!("поле `{field}`: {reason}"),
        },
    }
}

/// Answers to a decision taken in a chat (the Telegram bot's buttons), about post `post_id`.
pub mod chat {
    use super::*;
    use keel_domain::workflow::PostAction;

    fn post(lang: Lang, post_id: i64) -> String {
        match lang {
            Lang::En => format!("Post #{post_id}"),
            Lang::Ru => format!("Пост #{post_id}"),
        }
    }

    /// Why the decision was refused. A post that no longer waits for a decision says so, in
    /// the chat's terms.
    pub fn refused(lang: Lang, post_id: i64, refusal: &Refusal) -> String {
        let reason = match refusal {
            Refusal::NotFound => return not_found(lang, post_id),
            Refusal::WrongState | Refusal::ChangedMeanwhile => lang
                .pick(
                    "it is no longer waiting for a decision (someone decided, or it was withdrawn). Open it in Keel to see its state",
                    "он больше не ждёт решения (кто-то уже решил, или его отозвали). Откройте его в Keel, чтобы увидеть состояние",
                )
                .to_owned(),
            other => other.text(lang),
        };
        format!("{}: {reason}.", post(lang, post_id))
    }

    pub fn not_found(lang: Lang, post_id: i64) -> String {
        match lang {
            Lang::En => {
                format!("Post #{post_id} was not found: it was deleted, or you have no access to its project.")
            }
            Lang::Ru => {
                format!("Пост #{post_id} не найден: его удалили, или у вас нет доступа к её проекту.")
            }
        }
    }

    /// A value the store refused in words of its own.
    pub fn invalid(lang: Lang, post_id: i64, message: &str) -> String {
        format!("{}: {message}", post(lang, post_id))
    }

    /// The decision could not be recorded (`error` says why, for the person to report).
    pub fn failed(lang: Lang, post_id: i64, error: &dyn std::fmt::Display) -> String {
        match lang {
            Lang::En => format!(
                "Post #{post_id}: Keel could not record the decision ({error}); try again or open the post in Keel."
            ),
            Lang::Ru => format!(
                "Пост #{post_id}: Keel не смог записать решение ({error}); попробуйте ещё раз или откройте пост в Keel."
            ),
        }
    }

    /// The decision was recorded.
    pub fn done(lang: Lang, post_id: i64, action: PostAction, excerpt: &str) -> String {
        match (action, lang) {
            (PostAction::Approve, Lang::En) => {
                format!("Approved post #{post_id} «{excerpt}». The author has been told.")
            }
            (PostAction::Approve, Lang::Ru) => {
                format!("Пост #{post_id} «{excerpt}» согласован. Автор получит уведомление.")
            }
            (_, Lang::En) => format!(
                "Changes requested on post #{post_id} «{excerpt}». Your comment went to the author as a suggestion."
            ),
            (_, Lang::Ru) => format!(
                "По посту #{post_id} «{excerpt}» запрошены правки. Ваш комментарий передан автору как предложение."
            ),
        }
    }
}

/// Why a new password was refused, in `lang`.
pub fn password_problem(problem: keel_domain::password::PasswordProblem, lang: Lang) -> &'static str {
    use keel_domain::password::PasswordProblem::*;
    match (problem, lang) {
        (TooShort, Lang::En) => {
            "the password is too short: use at least 8 characters (a few words are easy to remember)"
        }
        (TooShort, Lang::Ru) => "пароль слишком короткий: нужно не меньше 8 символов (несколько слов легко запомнить)",
        (TooCommon, Lang::En) => "this password is among the most common ones and is guessed first: choose another",
        (TooCommon, Lang::Ru) => "этот пароль из самых распространённых, его подбирают первым: выберите другой",
        (TooLong, Lang::En) => "the password is longer than 1024 characters",
        (TooLong, Lang::Ru) => "пароль длиннее 1024 символов",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_refusal() -> Vec<Refusal> {
        vec![
            Refusal::NotFound,
            Refusal::Forbidden,
            Refusal::NotAgency,
            Refusal::NotApprover,
            Refusal::OwnPost,
            Refusal::ReadOnly,
            Refusal::WrongState,
            Refusal::CommentRequired,
            Refusal::OpenSuggestions(2),
            Refusal::ChangedMeanwhile,
            Refusal::invalid("scheduled_at", "a post is scheduled for a date and time"),
        ]
    }

    #[test]
    fn every_refusal_has_russian_words() {
        for r in every_refusal() {
            let (en, ru) = (r.text(Lang::En), r.text(Lang::Ru));
            assert_ne!(en, ru, "{r:?}");
            assert!(ru.chars().any(|c| ('а'..='я').contains(&c)), "{r:?}: {ru}");
            assert_eq!(r.to_string(), en);
        }
    }

    #[test]
    fn english_words_are_the_published_ones() {
        assert_eq!(
            Refusal::CommentRequired.text(Lang::En),
            "field `comment`: say what should change (it becomes a suggestion)"
        );
        assert_eq!(
            Refusal::OpenSuggestions(1).text(Lang::En),
            "1 suggestion(s) still open: mark each accepted, or declined with a reason, before resubmitting"
        );
        assert_eq!(
            Refusal::OwnPost.text(Lang::En),
            "nobody may approve or send back their own post"
        );
        assert_eq!(
            Refusal::Forbidden.text(Lang::En),
            "your role in this project does not allow this"
        );
    }

    #[test]
    fn chat_answers_name_the_post() {
        assert_eq!(
            chat::refused(Lang::En, 7, &Refusal::OwnPost),
            "Post #7: nobody may approve or send back their own post."
        );
        assert_eq!(
            chat::refused(Lang::Ru, 7, &Refusal::NotApprover),
            "Пост #7: согласовывать и запрашивать правки могут только назначенные согласующие проекта."
        );
        assert!(chat::refused(Lang::En, 7, &Refusal::WrongState).contains("no longer waiting"));
        assert!(chat::refused(Lang::Ru, 7, &Refusal::NotFound).contains("не найден:"));
    }
}
