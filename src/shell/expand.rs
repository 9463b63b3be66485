//! Word expansion: `$VAR`, `${VAR:-x}`, `$?` and `$(…)` turned into the argument strings a
//! command receives, with sh's field splitting: the result of an *unquoted* expansion is split
//! on blanks and newlines (so `echo $(kubectl get pods -o name)` gets one argument per pod),
//! a quoted one (`"$A"`) stays one argument. Unquoted `*`, `?` and `[…]` then match file names
//! in the workspace ([`super::glob`]).

use super::ast::{Param, ParamOp, Part, Word};
use super::glob::{self, has_magic, PatChar};
use super::parse::is_name;
use super::Session;
use crate::io::Output;

/// `${A:?message}` fired, or an expansion grew past [`MAX_EXPANSION_BYTES`]: the command does
/// not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpandError(pub String);

/// Most bytes one command's expanded words may add up to (`A=$A$A` doubling in a loop of lines
/// would otherwise double memory each time).
pub const MAX_EXPANSION_BYTES: usize = super::MAX_CAPTURE_BYTES;

fn check_size(len: usize) -> Result<(), ExpandError> {
    if len > MAX_EXPANSION_BYTES {
        return Err(ExpandError(format!(
            "sh: the expansion is over {MAX_EXPANSION_BYTES} bytes, more than the lab's shell holds"
        )));
    }
    Ok(())
}

/// Accumulates fields while a word is expanded.
#[derive(Default)]
struct Fields {
    done: Vec<(String, Vec<PatChar>)>,
    cur: String,
    /// The same text as a glob pattern: which characters were quoted.
    pat: Vec<PatChar>,
    /// The current field exists even if empty (it contains a quoted part, e.g. `""`).
    open: bool,
}

impl Fields {
    /// Add text; `quoted` text is never special to globbing.
    fn push(&mut self, s: &str, quoted: bool) {
        self.cur.push_str(s);
        self.pat.extend(
            s.chars()
                .map(|c| if quoted { PatChar::Lit(c) } else { PatChar::Special(c) }),
        );
        self.open = true;
    }

    fn push_text(&mut self, s: &str) {
        self.push(s, true);
    }

    /// Add the result of an unquoted expansion, split on blanks.
    fn push_split(&mut self, value: &str) {
        let is_blank = |c: char| c == ' ' || c == '\t' || c == '\n';
        if value.is_empty() {
            return;
        }
        let mut pieces = value.split(is_blank).filter(|p| !p.is_empty()).peekable();
        if value.starts_with(is_blank) {
            self.end_field();
        }
        while let Some(p) = pieces.next() {
            self.push(p, false);
            if pieces.peek().is_some() {
                self.end_field();
            }
        }
        if value.ends_with(is_blank) {
            self.end_field();
        }
    }

    fn end_field(&mut self) {
        if self.open {
            self.done
                .push((std::mem::take(&mut self.cur), std::mem::take(&mut self.pat)));
            self.open = false;
        }
    }

    fn finish_with_patterns(mut self) -> Vec<(String, Vec<PatChar>)> {
        self.end_field();
        self.done
    }

    #[cfg(test)]
    fn finish(self) -> Vec<String> {
        self.finish_with_patterns().into_iter().map(|(s, _)| s).collect()
    }
}

impl Session {
    /// The value of a parameter, `None` when unset.
    pub fn param(&self, name: &str) -> Option<String> {
        match name {
            "?" => Some(self.last_status.to_string()),
            "$" => Some(std::process::id().to_string()),
            "#" => Some("0".into()),
            "0" => Some("sh".into()),
            "-" => Some(String::new()),
            "@" | "*" | "!" => None,
            n if n.chars().all(|c| c.is_ascii_digit()) => None,
            "PWD" => Some(
                self.vars
                    .get("PWD")
                    .cloned()
                    .unwrap_or_else(|| self.workspace.shown(&self.cwd)),
            ),
            "HOME" => Some(self.vars.get("HOME").cloned().unwrap_or_else(|| self.workspace.label())),
            n => self.vars.get(n).cloned(),
        }
    }

    /// Expand command words into arguments. Words that look like assignments after `export`
    /// are not split (`export POD=$(…)` keeps newlines in the value, as bash does).
    pub(crate) async fn expand_args(&mut self, words: &[Word], out: &Output) -> Result<Vec<String>, ExpandError> {
        let mut args = Vec::new();
        let declaration = words
            .first()
            .and_then(Word::literal_text)
            .is_some_and(|w| w == "export" || w == "readonly" || w == "local");
        let mut total = 0usize;
        for (i, w) in words.iter().enumerate() {
            let assignment = declaration && i > 0 && looks_like_assignment(w);
            let before = args.len();
            if assignment {
                args.push(self.expand_string(w, out).await?);
            } else {
                args.extend(self.expand_fields(w, out).await?);
            }
            total += args[before..].iter().map(String::len).sum::<usize>();
            check_size(total)?;
        }
        Ok(args)
    }

    /// Expand one word with field splitting: zero or more arguments.
    pub(crate) async fn expand_fields(&mut self, w: &Word, out: &Output) -> Result<Vec<String>, ExpandError> {
        let mut f = Fields::default();
        for (i, p) in w.parts.iter().enumerate() {
            // `~` or `~/…` at the start of a word is the home folder (the workspace root, shown
            // as `~/lesson5`).
            if let (0, Part::Lit(s)) = (i, p) {
                // (A word already naming the home folder, `~/lesson5/x`, is left as it is.)
                if (s == "~" || s.starts_with("~/")) && self.workspace.strip_label(s).is_none() {
                    let home = self.param("HOME").unwrap_or_default();
                    let rest = &s[1..];
                    let joined = if home.ends_with('/') && rest.starts_with('/') {
                        format!("{home}{}", &rest[1..])
                    } else {
                        format!("{home}{rest}")
                    };
                    f.push(&joined, false);
                    continue;
                }
            }
            match p {
                Part::Lit(s) => f.push(s, false),
                Part::Quoted(s) => f.push_text(s),
                Part::Double(inner) => {
                    f.open = true;
                    for q in inner {
                        let s = self.expand_part(q, out).await?;
                        check_size(f.cur.len() + s.len())?;
                        f.push_text(&s);
                    }
                }
                Part::Param(_) | Part::Subst(_) | Part::Arith(_) => {
                    let s = self.expand_part(p, out).await?;
                    check_size(f.cur.len() + s.len())?;
                    f.push_split(&s);
                }
            }
        }
        let root = self.workspace.root().to_path_buf();
        let mut args = Vec::new();
        for (text, pat) in f.finish_with_patterns() {
            let matched = if has_magic(&pat) {
                glob::expand(&pat, &root, &self.cwd)
            } else {
                Vec::new()
            };
            if matched.is_empty() {
                args.push(text);
            } else {
                args.extend(matched);
            }
        }
        Ok(args)
    }

    /// Expand one word to a single string without splitting (assignments, redirection targets,
    /// heredoc bodies).
    pub(crate) async fn expand_string(&mut self, w: &Word, out: &Output) -> Result<String, ExpandError> {
        let mut s = String::new();
        for p in &w.parts {
            let piece = self.expand_part(p, out).await?;
            check_size(s.len() + piece.len())?;
            s.push_str(&piece);
        }
        Ok(s)
    }

    async fn expand_part(&mut self, p: &Part, out: &Output) -> Result<String, ExpandError> {
        match p {
            Part::Lit(s) | Part::Quoted(s) => Ok(s.clone()),
            Part::Double(inner) => {
                let mut s = String::new();
                for q in inner {
                    let piece = Box::pin(self.expand_part(q, out)).await?;
                    check_size(s.len() + piece.len())?;
                    s.push_str(&piece);
                }
                Ok(s)
            }
            Part::Param(param) => self.expand_param(param, out).await,
            Part::Arith(word) => {
                let text = Box::pin(self.expand_string(word, out)).await?;
                super::arith::eval(&text, &self.vars)
                    .map(|n| n.to_string())
                    .map_err(|e| ExpandError(format!("sh: {}: {e}", text.trim())))
            }
            Part::Subst(script) => {
                let (text, status) = self.capture(script, out).await;
                self.subst_status = Some(status);
                Ok(text.trim_end_matches('\n').to_string())
            }
        }
    }

    async fn expand_param(&mut self, param: &Param, out: &Output) -> Result<String, ExpandError> {
        let value = self.param(&param.name);
        let unset_or_null = |colon: bool| match &value {
            None => true,
            Some(v) => colon && v.is_empty(),
        };
        match &param.op {
            ParamOp::Plain => Ok(value.unwrap_or_default()),
            ParamOp::Length => Ok(value.unwrap_or_default().chars().count().to_string()),
            ParamOp::Default { colon, word } => {
                if unset_or_null(*colon) {
                    Box::pin(self.expand_string(word, out)).await
                } else {
                    Ok(value.unwrap_or_default())
                }
            }
            ParamOp::Assign { colon, word } => {
                if unset_or_null(*colon) {
                    let v = Box::pin(self.expand_string(word, out)).await?;
                    if is_name(&param.name) {
                        self.vars.insert(param.name.clone(), v.clone());
                    }
                    Ok(v)
                } else {
                    Ok(value.unwrap_or_default())
                }
            }
            ParamOp::Alt { colon, word } => {
                if unset_or_null(*colon) {
                    Ok(String::new())
                } else {
                    Box::pin(self.expand_string(word, out)).await
                }
            }
            ParamOp::Error { colon, word } => {
                if unset_or_null(*colon) {
                    let msg = Box::pin(self.expand_string(word, out)).await?;
                    let msg = if msg.is_empty() {
                        "parameter null or not set".to_string()
                    } else {
                        msg
                    };
                    Err(ExpandError(format!("sh: {}: {msg}", param.name)))
                } else {
                    Ok(value.unwrap_or_default())
                }
            }
        }
    }
}

/// `NAME=…` with an unquoted `NAME=` prefix.
fn looks_like_assignment(w: &Word) -> bool {
    match w.parts.first() {
        Some(Part::Lit(s)) => s.find('=').is_some_and(|eq| is_name(&s[..eq])),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(values: &[(&str, bool)]) -> Vec<String> {
        let mut f = Fields::default();
        for (v, quoted) in values {
            if *quoted {
                f.push_text(v)
            } else {
                f.push_split(v)
            }
        }
        f.finish()
    }

    #[test]
    fn field_splitting_like_sh() {
        assert_eq!(split(&[("a b", false)]), vec!["a", "b"]);
        assert_eq!(split(&[("  a \n b  ", false)]), vec!["a", "b"]);
        assert_eq!(split(&[("", false)]), Vec::<String>::new());
        assert_eq!(split(&[("   ", false)]), Vec::<String>::new());
        assert_eq!(split(&[("", true)]), vec![""]);
        assert_eq!(split(&[("x", true), ("a b", false), ("y", true)]), vec!["xa", "by"]);
        assert_eq!(split(&[("x", true), (" a", false)]), vec!["x", "a"]);
        assert_eq!(split(&[("a ", false), ("y", true)]), vec!["a", "y"]);
        assert_eq!(
            split(&[("http://", true), ("127.0.2.1", false), (":", true), ("30008", false)]),
            vec!["http://127.0.2.1:30008"]
        );
    }
}
