//! The `include` globs of `initializationOptions`: documents whose path matches one are linted
//! even when they do not look like a request.
//!
//! The glob dialect is the configuration's (`globset`, `*` and `?` do not cross `/`, `**` crosses
//! any number of directories, `{a,b}` alternatives, `[...]` classes), matched against the
//! document's path (the percent-decoded path of a `file:` URI, or the whole URI otherwise). A
//! pattern that does not start with `/` or `**` may match any tail of the path, as if it started
//! with `**/` (so `requests/*.yaml` matches `/home/me/repo/requests/a.yaml`). `globset` compiles
//! patterns to a regular-expression automaton: matching is linear in the path.

/// One compiled pattern.
#[derive(Clone, Debug)]
pub struct Glob {
    matcher: globset::GlobMatcher,
}

impl Glob {
    /// Compiles a pattern; an invalid one (`a/[b`) is an error with the reason.
    pub fn new(pattern: &str) -> Result<Glob, String> {
        let anchored = pattern.starts_with('/') || pattern.starts_with("**");
        let text = if anchored {
            pattern.to_owned()
        } else {
            format!("**/{pattern}")
        };
        globset::GlobBuilder::new(&text)
            .literal_separator(true)
            .build()
            .map(|g| Glob {
                matcher: g.compile_matcher(),
            })
            .map_err(|e| format!("invalid glob `{pattern}`: {}", e.kind()))
    }

    /// Whether the path matches the whole pattern.
    pub fn matches(&self, path: &str) -> bool {
        self.matcher.is_match(path)
    }
}

/// The path of a URI for globs and for the format: the percent-decoded path of a `file:` URI, or
/// the URI itself.
pub fn uri_path(uri: &str) -> String {
    let Some(rest) = uri.strip_prefix("file://") else {
        return uri.to_owned();
    };
    // Skip the authority (usually empty).
    let path = rest.find('/').and_then(|i| rest.get(i..)).unwrap_or(rest);
    let path = path.split(['?', '#']).next().unwrap_or(path);
    percent_decode(path)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(v) = u8::from_str_radix(hex, 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        let glob = |p: &str| Glob::new(p).unwrap();
        let g = glob("**/requests/*.yaml");
        assert!(g.matches("/home/me/repo/requests/a.yaml"));
        assert!(g.matches("requests/a.yaml"));
        assert!(!g.matches("/home/me/repo/requests/sub/a.yaml"));
        assert!(!g.matches("/home/me/repo/requests/a.json"));
        let g = glob("requests/**");
        assert!(g.matches("/x/requests/a/b/c.json"));
        assert!(glob("/abs/?.yml").matches("/abs/a.yml"));
        assert!(!glob("/abs/?.yml").matches("/abs/ab.yml"));
        assert!(glob("*.json").matches("/deep/dir/x.json"));
        assert!(glob("**").matches("anything/at/all"));
        // The configuration's dialect: alternatives and classes; `*` stays in its directory.
        assert!(glob("ops/*.{yaml,yml}").matches("/r/ops/a.yml"));
        assert!(!glob("ops/*.yaml").matches("/r/ops/deep/a.yaml"));
        assert!(glob("req[0-9].json").matches("/r/req7.json"));
        assert!(Glob::new("a/[b").unwrap_err().contains("invalid glob"));
    }

    #[test]
    fn uri_paths() {
        assert_eq!(uri_path("file:///a%20b/c.yaml"), "/a b/c.yaml");
        assert_eq!(uri_path("file://host/x.json"), "/x.json");
        assert_eq!(uri_path("untitled:Untitled-1"), "untitled:Untitled-1");
        assert_eq!(uri_path("file:///bad%zz"), "/bad%zz");
    }
}
