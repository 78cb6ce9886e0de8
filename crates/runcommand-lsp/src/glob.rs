//! The `include` globs of `initializationOptions`: documents whose path matches one are linted
//! even when they do not look like a request.
//!
//! Syntax: `*` matches within one path segment, `**` any number of segments (`**/` also none),
//! `?` one character other than `/`; everything else is literal. Patterns are matched against the
//! document's path (the percent-decoded path of a `file:` URI, or the whole URI otherwise), with
//! `/` as the separator. A pattern that does not start with `/` or `**` may match any tail of the
//! path, as if it started with `**/` (so `requests/*.yaml` matches `/home/me/repo/requests/a.yaml`).
//! Matching is dynamic programming over pattern tokens and path characters: no recursion, no
//! exponential backtracking.

/// One compiled pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Glob {
    tokens: Vec<Token>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Char(char),
    Any,
    Star,
    GlobStar,
    GlobStarSlash,
}

impl Glob {
    /// Compiles a pattern; never fails (every string is a pattern).
    pub fn new(pattern: &str) -> Glob {
        let anchored = pattern.starts_with('/') || pattern.starts_with("**");
        let mut text = String::new();
        if !anchored {
            text.push_str("**/");
        }
        text.push_str(pattern);
        let chars: Vec<char> = text.chars().collect();
        let mut tokens = Vec::new();
        let mut i = 0;
        while let Some(&c) = chars.get(i) {
            match c {
                '*' if chars.get(i + 1) == Some(&'*') => {
                    let mut j = i + 2;
                    while chars.get(j) == Some(&'*') {
                        j += 1;
                    }
                    if chars.get(j) == Some(&'/') {
                        tokens.push(Token::GlobStarSlash);
                        i = j + 1;
                    } else {
                        tokens.push(Token::GlobStar);
                        i = j;
                    }
                    continue;
                }
                '*' => tokens.push(Token::Star),
                '?' => tokens.push(Token::Any),
                c => tokens.push(Token::Char(c)),
            }
            i += 1;
        }
        Glob { tokens }
    }

    /// Whether the path matches the whole pattern.
    pub fn matches(&self, path: &str) -> bool {
        let path: Vec<char> = path.chars().collect();
        // reach[j]: the tokens so far can match path[..j].
        let mut reach = vec![false; path.len() + 1];
        if let Some(r) = reach.first_mut() {
            *r = true;
        }
        for token in &self.tokens {
            let mut next = vec![false; path.len() + 1];
            for j in 0..=path.len() {
                if !reach.get(j).copied().unwrap_or(false) {
                    continue;
                }
                match token {
                    Token::Char(c) => {
                        if path.get(j) == Some(c) {
                            set(&mut next, j + 1);
                        }
                    }
                    Token::Any => {
                        if path.get(j).is_some_and(|c| *c != '/') {
                            set(&mut next, j + 1);
                        }
                    }
                    Token::Star => {
                        set(&mut next, j);
                        let mut k = j;
                        while path.get(k).is_some_and(|c| *c != '/') {
                            k += 1;
                            set(&mut next, k);
                        }
                    }
                    Token::GlobStar => {
                        for k in j..=path.len() {
                            set(&mut next, k);
                        }
                    }
                    Token::GlobStarSlash => {
                        set(&mut next, j);
                        for k in j..path.len() {
                            if path.get(k) == Some(&'/') {
                                set(&mut next, k + 1);
                            }
                        }
                    }
                }
            }
            reach = next;
        }
        reach.last().copied().unwrap_or(false)
    }
}

fn set(v: &mut [bool], i: usize) {
    if let Some(x) = v.get_mut(i) {
        *x = true;
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
        let g = Glob::new("**/requests/*.yaml");
        assert!(g.matches("/home/me/repo/requests/a.yaml"));
        assert!(g.matches("requests/a.yaml"));
        assert!(!g.matches("/home/me/repo/requests/sub/a.yaml"));
        assert!(!g.matches("/home/me/repo/requests/a.json"));
        let g = Glob::new("requests/**");
        assert!(g.matches("/x/requests/a/b/c.json"));
        assert!(Glob::new("/abs/?.yml").matches("/abs/a.yml"));
        assert!(!Glob::new("/abs/?.yml").matches("/abs/ab.yml"));
        assert!(Glob::new("*.json").matches("/deep/dir/x.json"));
        assert!(Glob::new("**").matches("anything/at/all"));
    }

    #[test]
    fn uri_paths() {
        assert_eq!(uri_path("file:///a%20b/c.yaml"), "/a b/c.yaml");
        assert_eq!(uri_path("file://host/x.json"), "/x.json");
        assert_eq!(uri_path("untitled:Untitled-1"), "untitled:Untitled-1");
        assert_eq!(uri_path("file:///bad%zz"), "/bad%zz");
    }
}
