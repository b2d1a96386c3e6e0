//! Each operation's URL, parsed once when the client is built.
//!
//! progenitor's `send` would format `"{baseurl}/api/..."` and have reqwest parse it on
//! every call; build.rs (`stamps_codegen::passes::preparsed_urls`) makes each operation
//! with a fixed path clone its parsed URL from here instead. Templated paths
//! (`/api/rewards/{reward_code}`) are still formatted per call.

use crate::operations::OPERATIONS;

/// The URL of every operation in [`OPERATIONS`], for one base URL.
#[derive(Debug)]
pub(crate) struct OperationUrls {
    base: String,
    /// Indexed like [`OPERATIONS`]; `None` for a templated path.
    urls: Box<[Option<reqwest::Url>]>,
}

impl OperationUrls {
    /// Parses `base` + each fixed path (`base` has no trailing slash).
    pub(crate) fn new(base: &str) -> Self {
        let urls = OPERATIONS
            .iter()
            .map(|op| {
                (!op.templated)
                    .then(|| reqwest::Url::parse(&format!("{base}{}", op.path)).ok())
                    .flatten()
            })
            .collect();
        OperationUrls {
            base: base.to_owned(),
            urls,
        }
    }

    /// The URL of operation `index` of [`OPERATIONS`] (whose path is `path`) on
    /// `base`: the parsed one, or, for a client made by hand with another base URL,
    /// one parsed now.
    pub(crate) fn url(&self, index: usize, base: &str, path: &str) -> Result<reqwest::Url, String> {
        match self.urls.get(index) {
            Some(Some(url)) if base == self.base => Ok(url.clone()),
            _ => reqwest::Url::parse(&format!("{base}{path}"))
                .map_err(|e| format!("invalid URL {base}{path}: {e}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_paths_are_parsed_once_and_other_bases_parsed_on_demand() {
        let urls = OperationUrls::new("https://stamps.co.id");
        let (index, op) = OPERATIONS
            .iter()
            .enumerate()
            .find(|(_, op)| !op.path.contains('{'))
            .expect("a fixed path");
        let url = urls.url(index, "https://stamps.co.id", op.path).unwrap();
        assert_eq!(url.as_str(), format!("https://stamps.co.id{}", op.path));
        let other = urls
            .url(index, "http://127.0.0.1:8080/prefix", op.path)
            .unwrap();
        assert_eq!(
            other.as_str(),
            format!("http://127.0.0.1:8080/prefix{}", op.path)
        );
        assert!(
            urls.url(index, "not a url", op.path)
                .unwrap_err()
                .contains("invalid URL")
        );
        let templated = OPERATIONS.iter().position(|op| op.path.contains('{'));
        if let Some(index) = templated {
            assert!(urls.urls[index].is_none());
        }
    }
}
