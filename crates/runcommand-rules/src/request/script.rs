//! The script a request carries (`CommandContent` as the instance receives it: Base64 decoded
//! when `ContentEncoding` is Base64), its `{{ }}` scan and its size as the API counts it: derived
//! once per request, read by several rules.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::HashSet;
use std::ops::Range;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use runcommand_catalog::param;
use runcommand_document::source_map::ScalarMap;
use runcommand_template::{Scan, name_key};

use super::{Request, Text};

/// `CommandContent` as the instance receives it.
pub struct Script<'a> {
    /// The value as written.
    pub value: Text<'a>,
    /// The script text: the value, or its Base64 decoding.
    pub text: Cow<'a, str>,
    /// Whether `text` was Base64-decoded (then offsets in it cannot be mapped to the file).
    pub decoded: bool,
    /// The value's source map, built at the first use (a script may have many findings).
    map: OnceCell<ScalarMap>,
}

impl Script<'_> {
    /// The file span of a byte range of [`Script::text`]: mapped exactly for PlainText content,
    /// the whole value for decoded Base64 content.
    pub fn span(&self, req: &Request<'_>, range: Range<usize>) -> Range<usize> {
        if self.decoded {
            self.value.span()
        } else if let Some(map) = req.composed(self.value.node) {
            map.map(range)
        } else {
            self.map
                .get_or_init(|| ScalarMap::new(req.text, self.value.node))
                .map(range)
        }
    }
}

/// The script of a request: `None` without `CommandContent`, or when Base64 content does not
/// decode to UTF-8 text (`CmdContent.DecodeError` says why, or the bytes are binary). Decoded
/// once per request, at the first rule that asks.
pub(crate) fn script<'r, 'a>(req: &'r Request<'a>) -> Option<&'r Script<'a>> {
    req.derived
        .script
        .get_or_init(|| decode_script(req))
        .as_ref()
}

/// The `{{ }}` placeholders of the script ([`runcommand_template::scan`]), with the script;
/// scanned once per request.
pub(crate) fn placeholders<'r, 'a>(req: &'r Request<'a>) -> Option<(&'r Script<'a>, &'r Scan)> {
    let script = script(req)?;
    let scan = req
        .derived
        .scan
        .get_or_init(|| Some(runcommand_template::scan(&script.text)))
        .as_ref()?;
    Some((script, scan))
}

/// A custom parameter name of a script (names compare ignoring case) with its first use.
pub(crate) struct Name {
    /// [`name_key`] of the name.
    pub(crate) key: String,
    /// The name as first written.
    pub(crate) name: String,
    /// The span of its first use in the script.
    pub(crate) first_use: Range<usize>,
}

/// The distinct custom names of the script's [`placeholders`] in order of first use; found once
/// per request (the `templates` and `parameters` rules both read them).
pub(crate) fn custom_names<'r>(req: &'r Request<'_>) -> Option<&'r [Name]> {
    let (_, scan) = placeholders(req)?;
    req.derived
        .names
        .get_or_init(|| Some(distinct_names(scan)))
        .as_deref()
}

/// The distinct custom names of a scan, in order of first use, in linear time (a script may hold
/// very many placeholders). A name is mostly written the same way each time it is used: each
/// distinct spelling is keyed ([`name_key`], an allocation) once.
pub(crate) fn distinct_names(scan: &Scan) -> Vec<Name> {
    let mut spellings: Seen<&str> = Seen::default();
    let mut out: Vec<Name> = Vec::new();
    let mut keys: Seen<String> = Seen::default();
    for (name, span) in scan.placeholders.iter().filter_map(|p| p.custom_name()) {
        if !spellings.insert(name) {
            continue;
        }
        let key = name_key(name);
        if !keys.insert(key.clone()) {
            continue;
        }
        out.push(Name {
            key,
            name: name.to_owned(),
            first_use: span.clone(),
        });
    }
    out
}

/// A set that is a list while small (a script uses a few names, many times): no hashing and no
/// table growth for the common case, a hash set past [`Seen::FEW`] items (linear time on any
/// script).
struct Seen<T> {
    few: Vec<T>,
    many: Option<HashSet<T>>,
}

impl<T> Default for Seen<T> {
    fn default() -> Self {
        Seen {
            few: Vec::new(),
            many: None,
        }
    }
}

impl<T: Eq + std::hash::Hash> Seen<T> {
    const FEW: usize = 16;

    /// Adds `item`; false when it was there already.
    fn insert(&mut self, item: T) -> bool {
        if let Some(many) = &mut self.many {
            return many.insert(item);
        }
        if self.few.contains(&item) {
            return false;
        }
        self.few.push(item);
        if self.few.len() > Self::FEW {
            self.many = Some(self.few.drain(..).collect());
        }
        true
    }
}

fn decode_script<'a>(req: &Request<'a>) -> Option<Script<'a>> {
    let value = req.str(param::COMMAND_CONTENT)?;
    if is_base64(req) {
        let bytes = STANDARD.decode(value.value.as_bytes()).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        Some(Script {
            value,
            text: Cow::Owned(text),
            decoded: true,
            map: OnceCell::new(),
        })
    } else {
        Some(Script {
            value,
            text: Cow::Borrowed(value.value),
            decoded: false,
            map: OnceCell::new(),
        })
    }
}

/// The Base64 length of `n` bytes (with padding).
fn base64_len(n: usize) -> usize {
    n.div_ceil(3) * 4
}

/// The size the API counts against the `CmdContent.ExceedLimit` limit, as (content, Parameters):
/// the Base64 length of the content and the Base64 length of the `Parameters` JSON.
pub(crate) fn size(req: &Request<'_>, content: &str) -> (usize, usize) {
    let params = super::parameters::json_len(req);
    (
        encoded_size(content, is_base64(req)),
        if params == 0 { 0 } else { base64_len(params) },
    )
}

/// Whether the request declares Base64 content.
pub(crate) fn is_base64(req: &Request<'_>) -> bool {
    req.str(param::CONTENT_ENCODING)
        .is_some_and(|e| e.value.eq_ignore_ascii_case("Base64"))
}

/// The Base64-encoded size of the content as the API counts it.
pub(crate) fn encoded_size(content: &str, base64: bool) -> usize {
    if base64 {
        content.len()
    } else {
        base64_len(content.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_names_ignore_case_in_order_of_first_use_past_the_small_set() {
        // 40 names, each used three times in different cases: the set turns into a hash set.
        let mut text = String::new();
        for round in 0..3 {
            for i in 0..40 {
                let name = format!("Name{i}");
                let name = match round {
                    0 => name,
                    1 => name.to_uppercase(),
                    _ => name.to_lowercase(),
                };
                text.push_str(&format!("echo {{{{{name}}}}}\n"));
            }
        }
        let names = distinct_names(&runcommand_template::scan(&text));
        assert_eq!(names.len(), 40);
        for (i, n) in names.iter().enumerate() {
            assert_eq!(n.name, format!("Name{i}"));
            assert_eq!(n.key, format!("name{i}"));
            assert_eq!(text.get(n.first_use.clone()), Some(n.name.as_str()));
        }
    }
}
