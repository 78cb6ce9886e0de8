//! `IdempotentParameterMismatch` (decisions.md §3 "ClientToken"): the same `ClientToken` on two
//! requests whose other parameters differ, anywhere in one run.
//!
//! This is the one cross-request check, so it is not a per-request rule. While a file is checked,
//! each request with a non-empty `ClientToken` string leaves a small [`TokenUse`] in its report:
//! the token, a 64-bit fingerprint of its other parameters and the token's span (never the
//! request itself). The cross-request pass ([`crate::cross`]) then walks the reports in path order
//! (and each file's requests in order): the first use of a token defines it; a later use with
//! another fingerprint gets the finding on its `ClientToken` value, with the first use as related
//! information (with its path and position when it is in another report). The records are
//! consumed by the pass, so running it twice cannot report twice.
//!
//! The fingerprint (a 64-bit hash, [`Hash64`], over a canonical form) covers every parameter given except
//! `ClientToken`, in name order, by typed value: `Timeout: 60` equals `Timeout: "60"`,
//! `EnableParameter: true` equals `"True"`, a list equals its flattened `InstanceId.N` form, and
//! `Parameters` as a mapping equals the same object as a JSON string (pairs compared in key order;
//! an empty `Parameters` equals none). A parameter with a wrong type is taken as its source text.
//! Parameters that are not given are not filled with defaults (choice): the request as sent is
//! what the service compares.

use std::ops::Range;

use runcommand_catalog::param;
use runcommand_document::{Node, ScalarKind, Value};

use crate::request::parameters::{Read, read};
use crate::request::{PValue, Request};

/// One request's use of a `ClientToken`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenUse {
    /// 0-based index of the request in its file.
    pub document: usize,
    /// The token.
    pub token: String,
    /// Fingerprint of the request's other parameters.
    pub fingerprint: u64,
    /// The span of the `ClientToken` value.
    pub span: Range<usize>,
}

/// A 64-bit hash of byte strings for fingerprints: stable, dependency-free, good enough to tell
/// requests apart. Each 8-byte word is mixed in with a 128-bit multiply whose halves are folded
/// together (the mixing step of wyhash); long texts (a script) go through four independent
/// lanes of 32-byte blocks, so that the multiplies overlap instead of waiting for each other.
pub(crate) struct Hash64(pub(crate) u64);

/// Odd 64-bit constants (from splitmix64 and the golden ratio) for the multiplies and lanes.
const MIX: u64 = 0x9e37_79b9_7f4a_7c15;
const TAIL: u64 = 0xbf58_476d_1ce4_e5b9;
const LANES: [u64; 4] = [
    0x94d0_49bb_1331_11eb,
    0x2545_f491_4f6c_dd1d,
    0xd6e8_feb8_6659_fd93,
    0xff51_afd7_ed55_8ccd,
];

/// The folded 128-bit product of `a` and `b`.
fn fold(a: u64, b: u64) -> u64 {
    let p = u128::from(a) * u128::from(b);
    (p as u64) ^ ((p >> 64) as u64)
}

/// The little-endian word of up to 8 bytes (zero-padded).
fn word(b: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    if let Some(head) = w.get_mut(..b.len().min(8)) {
        head.copy_from_slice(b.get(..head.len()).unwrap_or(&[]));
    }
    u64::from_le_bytes(w)
}

impl Hash64 {
    pub(crate) fn new() -> Hash64 {
        Hash64(0xcbf2_9ce4_8422_2325)
    }
    fn bytes(&mut self, b: &[u8]) {
        let mut rest = b;
        if b.len() >= 64 {
            let mut lanes = LANES.map(|l| self.0 ^ l);
            let mut blocks = b.chunks_exact(32);
            for block in &mut blocks {
                for (lane, w) in lanes.iter_mut().zip(block.chunks_exact(8)) {
                    *lane = fold(*lane ^ word(w), MIX);
                }
            }
            let [a, b2, c, d] = lanes;
            self.0 = fold(a ^ b2.rotate_left(23), c ^ d.rotate_left(41) ^ MIX);
            rest = blocks.remainder();
        }
        let mut words = rest.chunks_exact(8);
        for w in &mut words {
            self.0 = fold(self.0 ^ word(w), MIX);
        }
        let tail = words.remainder();
        if !tail.is_empty() {
            // The tail's length in the constant: `a` and `a\0` differ.
            self.0 = fold(self.0 ^ word(tail), TAIL ^ tail.len() as u64);
        }
    }
    /// A tagged, length-prefixed field, so that different sequences never collide by
    /// concatenation.
    pub(crate) fn field(&mut self, tag: u8, b: &[u8]) {
        // The tag and the length in one word (a length never reaches 2^56 bytes).
        self.0 = fold(self.0 ^ (u64::from(tag) | ((b.len() as u64) << 8)), MIX);
        self.bytes(b);
    }
}

/// Hashes a node's canonical form, iteratively (no recursion on depth).
fn hash_node(h: &mut Hash64, root: &Node) {
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        match &n.value {
            Value::Scalar(s) => {
                let tag = match s.kind {
                    ScalarKind::Null => b'n',
                    ScalarKind::Bool(_) => b'b',
                    ScalarKind::Int | ScalarKind::Float => b'd',
                    ScalarKind::Str => b's',
                };
                h.field(tag, s.text.as_bytes());
            }
            Value::Seq(items) => {
                h.field(b'l', &(items.len() as u64).to_le_bytes());
                stack.extend(items.iter().rev());
            }
            Value::Map(entries) => {
                h.field(b'm', &(entries.len() as u64).to_le_bytes());
                for e in entries.iter().rev() {
                    stack.push(&e.value);
                    stack.push(&e.key);
                }
            }
            Value::Alias => h.field(b'a', &[]),
        }
    }
}

/// The fingerprint of every parameter but `ClientToken`, in name order (the request view keeps
/// them in the order written).
fn fingerprint(req: &Request<'_>) -> u64 {
    let mut h = Hash64::new();
    let mut params: Vec<_> = req.params.iter().collect();
    params.sort_unstable_by_key(|(name, _)| **name);
    for (name, p) in params {
        if *name == "ClientToken" {
            continue;
        }
        if *name == "Parameters"
            && let PValue::Object(_) = p.value
        {
            match read(req) {
                Read::Absent => continue,
                Read::Given(params) => {
                    h.field(b'P', name.as_bytes());
                    let mut pairs: Vec<_> = params
                        .entries()
                        .iter()
                        .map(|e| (e.key.as_key_str().unwrap_or(""), &e.value))
                        .collect();
                    pairs.sort_by(|a, b| a.0.cmp(b.0));
                    h.field(b'm', &(pairs.len() as u64).to_le_bytes());
                    for (k, v) in pairs {
                        h.field(b'k', k.as_bytes());
                        hash_node(&mut h, v);
                    }
                    continue;
                }
                Read::Unreadable(_) => {}
            }
        }
        h.field(b'P', name.as_bytes());
        match &p.value {
            PValue::Str(t) => h.field(b's', t.value.as_bytes()),
            PValue::Int(i, _) => h.field(b'i', &i.to_le_bytes()),
            PValue::Bool(b, _) => h.field(b'b', &[u8::from(*b)]),
            PValue::List(items) => {
                h.field(b'l', &(items.len() as u64).to_le_bytes());
                for t in items {
                    h.field(b's', t.value.as_bytes());
                }
            }
            PValue::Tags(tags) => {
                h.field(b't', &(tags.len() as u64).to_le_bytes());
                for t in tags {
                    for part in [&t.key, &t.value] {
                        match part {
                            Some(x) => h.field(b's', x.value.as_bytes()),
                            None => h.field(b'0', &[]),
                        }
                    }
                }
            }
            PValue::Object(_) | PValue::Invalid => {
                let raw = req.text.get(p.value_span.clone()).unwrap_or("");
                h.field(b'r', raw.as_bytes());
            }
        }
    }
    h.0
}

/// The token use of a request, if it has a non-empty `ClientToken` string.
pub(crate) fn token_use(req: &Request<'_>) -> Option<TokenUse> {
    let t = req.str(param::CLIENT_TOKEN)?;
    if t.value.is_empty() {
        return None;
    }
    Some(TokenUse {
        document: req.index,
        token: t.value.to_owned(),
        fingerprint: fingerprint(req),
        span: t.span(),
    })
}

#[cfg(test)]
mod hash_tests {
    use super::Hash64;

    fn hash(parts: &[&[u8]]) -> u64 {
        let mut h = Hash64::new();
        for p in parts {
            h.field(b's', p);
        }
        h.0
    }

    #[test]
    fn every_byte_and_length_counts() {
        // Short texts (one lane) and long ones (four lanes of 32-byte blocks, then the rest).
        for len in [0usize, 1, 7, 8, 9, 31, 32, 63, 64, 65, 100, 127, 128, 1000] {
            let base: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
            let h = hash(&[&base]);
            for i in 0..len {
                let mut other = base.clone();
                other[i] ^= 1;
                assert_ne!(hash(&[&other]), h, "len {len}, byte {i}");
            }
            let mut longer = base.clone();
            longer.push(0);
            assert_ne!(hash(&[&longer]), h, "len {len} vs {}", len + 1);
        }
        // Fields are length-prefixed: moving a byte from one field to the next changes the hash.
        assert_ne!(hash(&[b"ab", b"c"]), hash(&[b"a", b"bc"]));
        assert_eq!(hash(&[b"same"]), hash(&[b"same"]));
    }
}
