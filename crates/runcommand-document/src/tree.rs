//! The spanned tree: one [`Node`] per key or value.

use std::ops::Range;

/// How a scalar was written in the source; the source map needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// A YAML plain scalar.
    Plain,
    /// A YAML single-quoted scalar.
    SingleQuoted,
    /// A YAML double-quoted scalar.
    DoubleQuoted,
    /// A YAML literal block scalar (`|`).
    Literal,
    /// A YAML folded block scalar (`>`).
    Folded,
    /// A JSON string (double-quoted, JSON escapes).
    JsonString,
    /// A JSON number, `true`, `false` or `null`.
    JsonBare,
}

/// What a scalar resolves to (YAML 1.2 core schema; JSON literal types).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarKind {
    /// `null`, `~`, or nothing (YAML); `null` (JSON).
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer literal (its text is kept; it may not fit in 64 bits).
    Int,
    /// A floating-point literal.
    Float,
    /// A string.
    Str,
}

/// A scalar value with its decoded text.
#[derive(Clone, Debug, PartialEq)]
pub struct Scalar {
    /// The decoded text (escapes processed, folding applied).
    pub text: String,
    /// How it was written.
    pub style: Style,
    /// What it resolves to.
    pub kind: ScalarKind,
}

/// A key/value pair of a mapping. Duplicate keys are kept as separate entries.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The key node.
    pub key: Node,
    /// The value node.
    pub value: Node,
}

/// The value of a node.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A scalar.
    Scalar(Scalar),
    /// A sequence (list).
    Seq(Vec<Node>),
    /// A mapping, entries in source order.
    Map(Vec<Entry>),
    /// An alias to a collection; never expanded.
    Alias,
}

/// A spanned node.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Byte range in the file text: the whole token (quotes included) or collection.
    pub span: Range<usize>,
    /// The value.
    pub value: Value,
}

/// A YAML comment: its span covers `#` to the end of the line (line break excluded).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// Byte range in the file text.
    pub span: Range<usize>,
    /// The text after `#`.
    pub text: String,
}

impl Node {
    /// The scalar, if this is one.
    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The text of a string-like scalar (any scalar except null, as keys are read).
    pub fn as_key_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(s) if s.kind != ScalarKind::Null || !s.text.is_empty() => {
                Some(s.text.as_str())
            }
            _ => None,
        }
    }

    /// The entries, if this is a mapping.
    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The items, if this is a sequence.
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    /// A short name of the node's type for messages: "a string", "a mapping", ...
    pub fn type_name(&self) -> &'static str {
        match &self.value {
            Value::Scalar(s) => match s.kind {
                ScalarKind::Null => "null",
                ScalarKind::Bool(_) => "a boolean",
                ScalarKind::Int => "an integer",
                ScalarKind::Float => "a number",
                ScalarKind::Str => "a string",
            },
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
            Value::Alias => "an alias",
        }
    }

    /// Looks a key up in a mapping: the first entry with that exact key.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.as_map()?
            .iter()
            .find(|e| e.key.as_key_str() == Some(key))
    }
}

/// Resolves a YAML plain scalar by the YAML 1.2 core schema.
pub(crate) fn resolve_plain(text: &str) -> ScalarKind {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return ScalarKind::Null,
        "true" | "True" | "TRUE" => return ScalarKind::Bool(true),
        "false" | "False" | "FALSE" => return ScalarKind::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF"
        | ".nan" | ".NaN" | ".NAN" => return ScalarKind::Float,
        _ => {}
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return ScalarKind::Int;
    }
    if let Some(oct) = text.strip_prefix("0o")
        && !oct.is_empty()
        && oct.bytes().all(|b| (b'0'..=b'7').contains(&b))
    {
        return ScalarKind::Int;
    }
    if let Some(hex) = text.strip_prefix("0x")
        && !hex.is_empty()
        && hex.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return ScalarKind::Int;
    }
    if is_float(digits) {
        return ScalarKind::Float;
    }
    ScalarKind::Str
}

/// `[0-9]*(\.[0-9]*)?([eE][-+]?[0-9]+)?` with at least one digit before the exponent.
fn is_float(s: &str) -> bool {
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(i) => (s.get(..i).unwrap_or(""), s.get(i + 1..)),
        None => (s, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (mantissa, None),
    };
    if !int.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let frac_ok = frac.is_none_or(|f| f.bytes().all(|b| b.is_ascii_digit()));
    let has_digit = !int.is_empty() || frac.is_some_and(|f| !f.is_empty());
    let exp_ok = exp.is_none_or(|e| {
        let d = e.strip_prefix(['-', '+']).unwrap_or(e);
        !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())
    });
    frac_ok && has_digit && exp_ok && (frac.is_some() || exp.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_schema() {
        assert_eq!(resolve_plain("~"), ScalarKind::Null);
        assert_eq!(resolve_plain("True"), ScalarKind::Bool(true));
        assert_eq!(resolve_plain("yes"), ScalarKind::Str);
        assert_eq!(resolve_plain("-12"), ScalarKind::Int);
        assert_eq!(resolve_plain("0x1F"), ScalarKind::Int);
        assert_eq!(resolve_plain("1.5"), ScalarKind::Float);
        assert_eq!(resolve_plain("1e3"), ScalarKind::Float);
        assert_eq!(resolve_plain("1.2.3"), ScalarKind::Str);
        assert_eq!(resolve_plain("."), ScalarKind::Str);
        assert_eq!(resolve_plain("e3"), ScalarKind::Str);
        assert_eq!(resolve_plain("i-abc"), ScalarKind::Str);
    }
}
