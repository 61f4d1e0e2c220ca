//! Finding keys in scenario text by their dotted path, so that every structural problem
//! (unknown key, wrong type) can be reported at once with its line and column.
//!
//! serde stops at the first structural error. To find the next one, the offending key is
//! removed from a copy of the document and the copy parsed again; each problem is then
//! placed in the original text by its path.

use std::ops::Range;
use toml_edit::{ImDocument, Item, Table, Value};

/// One step of a key path: a key or a list index.
#[derive(Clone, Debug, PartialEq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// `strategies.a.layoffs[0].month` -> `[Key(strategies), Key(a), Key(layoffs), Index(0), Key(month)]`.
pub fn segments(path: &str) -> Vec<Seg> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, rest) = part
            .split_once('[')
            .map(|(k, r)| (k, Some(r)))
            .unwrap_or((part, None));
        if !key.is_empty() {
            out.push(Seg::Key(key.to_string()));
        }
        if let Some(rest) = rest {
            for idx in rest.split('[') {
                if let Ok(i) = idx.trim_end_matches(']').parse() {
                    out.push(Seg::Index(i));
                }
            }
        }
    }
    out
}

enum Node<'a> {
    Item(&'a Item),
    Value(&'a Value),
    Table(&'a Table),
}

impl<'a> Node<'a> {
    /// The child under `key` and the span of the key itself.
    fn child(&self, key: &str) -> Option<(Node<'a>, Option<Range<usize>>)> {
        match self {
            Node::Item(Item::Table(t)) => {
                Some((Node::Item(t.get(key)?), t.key(key).and_then(|k| k.span())))
            }
            Node::Table(t) => Some((Node::Item(t.get(key)?), t.key(key).and_then(|k| k.span()))),
            Node::Item(Item::Value(Value::InlineTable(t))) | Node::Value(Value::InlineTable(t)) => {
                Some((Node::Value(t.get(key)?), t.key(key).and_then(|k| k.span())))
            }
            _ => None,
        }
    }

    fn index(&self, i: usize) -> Option<Node<'a>> {
        match self {
            Node::Item(Item::ArrayOfTables(a)) => a.get(i).map(Node::Table),
            Node::Item(Item::Value(Value::Array(a))) | Node::Value(Value::Array(a)) => {
                a.get(i).map(Node::Value)
            }
            _ => None,
        }
    }

    fn span(&self) -> Option<Range<usize>> {
        match self {
            Node::Item(i) => i.span(),
            Node::Value(v) => v.span(),
            Node::Table(t) => t.span(),
        }
    }
}

/// Byte offset in `text` of the key at `path` (or of its value when `value` is true).
pub fn locate(text: &str, path: &str, value: bool) -> Option<usize> {
    let doc = ImDocument::parse(text).ok()?;
    let mut node = Node::Item(doc.as_item());
    let mut key_span = None;
    for seg in segments(path) {
        match seg {
            Seg::Key(k) => {
                let (n, span) = node.child(&k)?;
                node = n;
                key_span = span;
            }
            Seg::Index(i) => {
                node = node.index(i)?;
                key_span = None;
            }
        }
    }
    let span = if value {
        node.span().or(key_span)
    } else {
        key_span.or_else(|| node.span())
    };
    span.map(|s| s.start)
}

/// Removes the key at `path` from a parsed document; false if it is not there.
pub fn remove(table: &mut toml::Table, path: &str) -> bool {
    let segs = segments(path);
    let Some((last, parents)) = segs.split_last() else {
        return false;
    };
    let mut cur = TomlRef::Table(table);
    for seg in parents {
        cur = match (cur, seg) {
            (TomlRef::Table(t), Seg::Key(k)) => match t.get_mut(k) {
                Some(v) => TomlRef::Value(v),
                None => return false,
            },
            (TomlRef::Value(toml::Value::Table(t)), Seg::Key(k)) => match t.get_mut(k) {
                Some(v) => TomlRef::Value(v),
                None => return false,
            },
            (TomlRef::Value(toml::Value::Array(a)), Seg::Index(i)) => match a.get_mut(*i) {
                Some(v) => TomlRef::Value(v),
                None => return false,
            },
            _ => return false,
        };
    }
    match (cur, last) {
        (TomlRef::Table(t), Seg::Key(k)) | (TomlRef::Value(toml::Value::Table(t)), Seg::Key(k)) => {
            t.remove(k).is_some()
        }
        (TomlRef::Value(toml::Value::Array(a)), Seg::Index(i)) if *i < a.len() => {
            a.remove(*i);
            true
        }
        _ => false,
    }
}

enum TomlRef<'a> {
    Table(&'a mut toml::Table),
    Value(&'a mut toml::Value),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_into_keys_and_indices() {
        assert_eq!(
            segments("strategies.a.layoffs[0].month"),
            vec![
                Seg::Key("strategies".into()),
                Seg::Key("a".into()),
                Seg::Key("layoffs".into()),
                Seg::Index(0),
                Seg::Key("month".into())
            ]
        );
    }

    #[test]
    fn keys_are_found_in_tables_inline_tables_and_lists() {
        let text =
            "[org]\nengineers = 3\n[strategies.a]\nlayoffs = [{ month = 3, fraction = 0.4 }]\n";
        assert_eq!(locate(text, "org.engineers", false), Some(6));
        let off = locate(text, "strategies.a.layoffs[0].fraction", true).unwrap();
        assert_eq!(&text[off..off + 3], "0.4");
    }

    #[test]
    fn removal_reaches_into_lists() {
        let mut t: toml::Table = toml::from_str("[s.a]\nl = [{ m = 1, x = 2 }]\n").unwrap();
        assert!(remove(&mut t, "s.a.l[0].x"));
        assert!(!remove(&mut t, "s.a.l[0].x"));
        assert_eq!(t["s"]["a"]["l"][0].as_table().unwrap().len(), 1);
    }
}

/// Sets the value at `path` in a document, creating missing tables on the way; a list
/// index must name an existing item. Used by `--set`.
pub fn set(doc: &mut toml_edit::DocumentMut, path: &str, value: Value) -> Result<(), String> {
    let segs = segments(path);
    if segs.is_empty() {
        return Err("an empty key".into());
    }
    set_in_table(doc.as_table_mut(), false, &segs, value)
}

fn set_in_table(
    t: &mut dyn toml_edit::TableLike,
    inline: bool,
    segs: &[Seg],
    value: Value,
) -> Result<(), String> {
    let Seg::Key(k) = &segs[0] else {
        return Err("a list index follows a key that is a list".into());
    };
    if segs.len() == 1 {
        t.insert(k, Item::Value(value));
        return Ok(());
    }
    if t.get(k).is_none() {
        let empty = if inline {
            Item::Value(Value::InlineTable(toml_edit::InlineTable::new()))
        } else {
            let mut table = Table::new();
            table.set_implicit(true);
            Item::Table(table)
        };
        t.insert(k, empty);
    }
    let child = t
        .get_mut(k)
        .ok_or_else(|| format!("`{k}` could not be made"))?;
    set_in_item(child, &segs[1..], value)
}

/// The message for an index past the end of a list of `len` items.
fn no_item(len: usize, i: usize) -> String {
    let items = if len == 1 { "item" } else { "items" };
    format!("the list has {len} {items}, no item [{i}]")
}

fn set_in_item(item: &mut Item, segs: &[Seg], value: Value) -> Result<(), String> {
    match &segs[0] {
        Seg::Key(k) => match item {
            Item::Table(t) => set_in_table(t, false, segs, value),
            Item::Value(Value::InlineTable(t)) => set_in_table(t, true, segs, value),
            _ => Err(format!(
                "cannot set `{k}` inside a value that is not a table"
            )),
        },
        Seg::Index(i) => {
            let last = segs.len() == 1;
            match item {
                Item::ArrayOfTables(a) if !last => {
                    let len = a.len();
                    let t = a.get_mut(*i).ok_or_else(|| no_item(len, *i))?;
                    set_in_table(t, false, &segs[1..], value)
                }
                Item::Value(Value::Array(a)) => {
                    let len = a.len();
                    match a.get_mut(*i) {
                        Some(Value::InlineTable(t)) if !last => {
                            set_in_table(t, true, &segs[1..], value)
                        }
                        Some(slot) if last => {
                            *slot = value;
                            Ok(())
                        }
                        Some(_) => Err(format!("item [{i}] is not a table")),
                        None => Err(no_item(len, *i)),
                    }
                }
                _ => Err(format!("[{i}] follows a key that is not a list")),
            }
        }
    }
}

#[cfg(test)]
mod set_tests {
    use super::*;

    #[test]
    fn set_reaches_tables_inline_tables_and_lists_and_creates_tables() {
        let mut doc: toml_edit::DocumentMut =
            "[strategies.a]\nlayoffs = [{ month = 3, fraction = 0.4 }]\n"
                .parse()
                .unwrap();
        set(
            &mut doc,
            "strategies.a.layoffs[0].fraction",
            "0.2".parse().unwrap(),
        )
        .unwrap();
        set(
            &mut doc,
            "world.subsidy.m_api",
            "{ pert = [1, 2, 4] }".parse().unwrap(),
        )
        .unwrap();
        set(
            &mut doc,
            "strategies.a.assist.kind",
            "\"flat\"".parse().unwrap(),
        )
        .unwrap();
        let t: toml::Table = toml::from_str(&doc.to_string()).unwrap();
        assert_eq!(
            t["strategies"]["a"]["layoffs"][0]["fraction"].as_float(),
            Some(0.2)
        );
        assert_eq!(
            t["world"]["subsidy"]["m_api"]["pert"][1].as_integer(),
            Some(2)
        );
        assert_eq!(
            t["strategies"]["a"]["assist"]["kind"].as_str(),
            Some("flat")
        );
        assert!(set(
            &mut doc,
            "strategies.a.layoffs[3].fraction",
            "0.2".parse().unwrap()
        )
        .is_err());
    }
}
