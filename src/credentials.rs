//! The credential a client sends with every call, prepared once so that no call
//! formats, escapes or validates it again.

use std::fmt;

use reqwest::header::HeaderValue;

use crate::Error;
use crate::operations::{CredentialCopy, Operation};
use crate::redact::{MASK, SecretFinder};

/// The two documented ways to authenticate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scheme {
    /// A static key, `Authorization: Token <key>`; it never expires.
    Token,
    /// A JWT access token, `Authorization: Bearer <jwt>`; valid 24 hours.
    Bearer,
}

/// A validated credential, ready to send as the `Authorization` header (and copied
/// into the body or query of the few operations whose page wants it there too). Its `Debug` shows `Token(***)` or `Bearer(***)`, never the secret.
#[derive(Clone)]
pub(crate) struct Credential {
    scheme: Scheme,
    /// `Token <key>` / `Bearer <jwt>`, marked sensitive so that HTTP logging hides it.
    header: HeaderValue,
    /// Masks the secret in response bodies.
    finder: SecretFinder,
    /// The key itself, for the one place it travels in a body: the access-token
    /// exchange (`ClientBuilder::access_token_from`).
    secret: crate::Secret,
}

impl Credential {
    /// Checks a secret: non-empty, no whitespace (a pasted key often drags some along),
    /// and only characters a header can carry.
    pub(crate) fn new(scheme: Scheme, secret: &str) -> Result<Self, Error> {
        let name = match scheme {
            Scheme::Token => "token",
            Scheme::Bearer => "bearer token",
        };
        if secret.is_empty() {
            return Err(Error::config(format!("the {name} is empty")));
        }
        if secret.chars().any(char::is_whitespace) {
            return Err(Error::config(format!("the {name} contains whitespace")));
        }
        let prefix = match scheme {
            Scheme::Token => "Token",
            Scheme::Bearer => "Bearer",
        };
        let mut header = HeaderValue::try_from(format!("{prefix} {secret}"))
            .ok()
            .filter(|h| h.to_str().is_ok())
            .ok_or_else(|| {
                // Never echo the secret: say what kind of character is wrong.
                Error::config(format!(
                    "the {name} contains characters that cannot go in an HTTP header (control or non-ASCII characters)"
                ))
            })?;
        header.set_sensitive(true);
        let finder = SecretFinder::new(secret);
        Ok(Credential {
            scheme,
            header,
            finder,
            secret: secret.parse()?,
        })
    }

    pub(crate) fn header(&self) -> &HeaderValue {
        &self.header
    }

    pub(crate) fn finder(&self) -> &SecretFinder {
        &self.finder
    }

    /// The key, for the access-token exchange's body.
    pub(crate) fn secret(&self) -> &crate::Secret {
        &self.secret
    }

    /// Copies the secret where `operation`'s page also wants it, besides the header: a
    /// JSON body field or a query parameter, as the spec's `x-stamps-credential-copy`
    /// says (the KLG page's `token`). Error URLs lose their query and body excerpts mask
    /// `token` values, as for the header's credential.
    pub(crate) fn copy_into(&self, operation: &Operation, request: &mut reqwest::Request) {
        let name = match operation.credential_copy {
            None => return,
            Some(CredentialCopy::Query(name)) => {
                request
                    .url_mut()
                    .query_pairs_mut()
                    .append_pair(name, self.secret.expose());
                return;
            }
            Some(CredentialCopy::Body(name)) => name,
        };
        let secret = self.secret.expose();
        let body = request.body().and_then(reqwest::Body::as_bytes);
        let Ok(serde_json::Value::Object(mut fields)) =
            serde_json::from_slice(body.unwrap_or(b"{}"))
        else {
            return;
        };
        fields.insert(name.to_owned(), secret.into());
        if let Ok(bytes) = serde_json::to_vec(&fields) {
            *request.body_mut() = Some(bytes.into());
        }
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}({MASK})", self.scheme)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prepares_the_header_and_hides_the_secret() {
        let c = Credential::new(Scheme::Token, "k\"ey").unwrap();
        assert_eq!(c.header().to_str().unwrap(), "Token k\"ey");
        assert!(c.header().is_sensitive());
        assert_eq!(format!("{c:?}"), "Token(***)");
        let b = Credential::new(Scheme::Bearer, "eyJ.x.y").unwrap();
        assert_eq!(format!("{b:?}"), "Bearer(***)");
    }

    #[test]
    fn refuses_what_cannot_be_sent_without_echoing_it() {
        for bad in ["", " key", "ke\ny", "kéy"] {
            let err = Credential::new(Scheme::Token, bad).unwrap_err().to_string();
            assert!(err.starts_with("invalid client configuration"), "{err}");
            assert!(bad.is_empty() || !err.contains(bad), "{err}");
        }
    }
}
