//! What a new password must be: long enough, and not one of the passwords tried first by
//! anyone guessing. The reason a password is refused is a value, worded by `keel-app`.

/// Passwords shorter than this (in characters) are refused.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// Why a password was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    TooCommon,
    /// Over 1,024 characters: nobody types that, and Argon2 should not be fed megabytes.
    TooLong,
}

/// The most common passwords of 8 characters or more in public breach lists (the shorter ones
/// are refused by length already), and Keel's own demo password.
const COMMON: &[&str] = &[
    "password",
    "password1",
    "password12",
    "password123",
    "password1234",
    "passw0rd",
    "p@ssw0rd",
    "p@ssword",
    "12345678",
    "123456789",
    "1234567890",
    "12345678910",
    "123123123",
    "11111111",
    "111111111",
    "00000000",
    "87654321",
    "987654321",
    "0987654321",
    "qwertyui",
    "qwertyuiop",
    "qwerty123",
    "qwerty1234",
    "1q2w3e4r",
    "1q2w3e4r5t",
    "1qaz2wsx",
    "zaq12wsx",
    "q1w2e3r4",
    "q1w2e3r4t5",
    "asdfghjk",
    "asdfghjkl",
    "zxcvbnm1",
    "iloveyou",
    "iloveyou1",
    "sunshine",
    "princess",
    "football",
    "baseball",
    "superman",
    "starwars",
    "welcome1",
    "welcome123",
    "trustno1",
    "letmein1",
    "abcd1234",
    "abc12345",
    "abcdefgh",
    "aa123456",
    "11223344",
    "12341234",
    "123qweasd",
    "qweasdzxc",
    "changeme",
    "administrator",
    "admin123",
    "admin1234",
    "computer",
    "internet",
    "whatever",
    "dragon123",
    "monkey123",
    "master123",
    "michael1",
    "jennifer",
    "passpass",
    "secret123",
    "1234qwer",
    "qwer1234",
    "zxcvbnm123",
    "987654321a",
    "a1234567",
    "a12345678",
    "demo-password",
    "keel-password",
];

/// Checks a password someone is about to set.
pub fn check(password: &str) -> Result<(), PasswordProblem> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if chars > 1024 {
        return Err(PasswordProblem::TooLong);
    }
    let lowered = password.trim().to_lowercase();
    // A run of one character ("aaaaaaaa") is as weak as any listed password.
    let one_char = lowered.chars().all(|c| lowered.starts_with(c));
    if one_char || COMMON.contains(&lowered.as_str()) {
        return Err(PasswordProblem::TooCommon);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_common_and_repeated_passwords_are_refused_with_their_reason() {
        assert_eq!(check("short"), Err(PasswordProblem::TooShort));
        assert_eq!(check("Password123"), Err(PasswordProblem::TooCommon));
        assert_eq!(check("QWERTYUIOP"), Err(PasswordProblem::TooCommon));
        assert_eq!(check("zzzzzzzzzz"), Err(PasswordProblem::TooCommon));
        assert_eq!(check(&"x".repeat(2000)), Err(PasswordProblem::TooLong));
        assert_eq!(check("correct horse battery"), Ok(()));
    }
}
