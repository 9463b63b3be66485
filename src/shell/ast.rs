//! The shape of a parsed command line. Parsing (in [`super::parse`]) only builds this tree;
//! expansion of `$VAR` and `$(…)` waits until the command runs, because an earlier command on the
//! same line (`A=1; echo $A`) or its exit status (`false; echo $?`) changes the result.

/// A whole line: and-or lists separated by `;` or newlines.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Script {
    pub items: Vec<AndOr>,
}

/// `a && b || c`.
#[derive(Debug, Clone, PartialEq)]
pub struct AndOr {
    pub first: Pipeline,
    pub rest: Vec<(Connector, Pipeline)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connector {
    And,
    Or,
}

/// `a | b | c`, optionally negated with `!`.
#[derive(Debug, Clone, PartialEq)]
pub struct Pipeline {
    pub bang: bool,
    pub commands: Vec<Command>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Simple(SimpleCommand),
    /// `( … )`: runs with a copy of the variables.
    Subshell(Script, Vec<Redirect>),
}

/// `A=1 cmd arg… >file`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SimpleCommand {
    pub assigns: Vec<(String, Word)>,
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Redirect {
    /// The file descriptor redirected (0 stdin, 1 stdout, 2 stderr).
    pub fd: u32,
    pub op: RedirOp,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RedirOp {
    /// `> file`
    Out(Word),
    /// `>> file`
    Append(Word),
    /// `< file`
    In(Word),
    /// `2>&1`: make `fd` a copy of this one.
    Dup(u32),
    /// `<<EOF` … the body, already cut out of the following lines.
    Heredoc(Word),
    /// `<<< word`
    HereString(Word),
}

/// One shell word: the pieces that are glued together after expansion.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Word {
    pub parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    /// Unquoted literal text.
    Lit(String),
    /// Text protected from splitting: `'…'`, `\x`, or literal text inside `"…"`.
    Quoted(String),
    /// `$NAME`, `${NAME}`, `$?`, `${NAME:-word}` …
    Param(Param),
    /// `$(…)` or `` `…` ``.
    Subst(Box<Script>),
    /// `$((…))`: the expression text, with its own `$VAR` and `$(…)` still to expand.
    Arith(Box<Word>),
    /// `"…"`: its expansions are not word-split.
    Double(Vec<Part>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: String,
    pub op: ParamOp,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ParamOp {
    /// `$A`, `${A}`
    Plain,
    /// `${#A}`
    Length,
    /// `${A:-w}` (colon = also when empty) / `${A-w}`
    Default { colon: bool, word: Word },
    /// `${A:=w}` / `${A=w}`
    Assign { colon: bool, word: Word },
    /// `${A:+w}` / `${A+w}`
    Alt { colon: bool, word: Word },
    /// `${A:?w}` / `${A?w}`
    Error { colon: bool, word: Word },
}

impl Word {
    pub fn lit(s: &str) -> Word {
        Word {
            parts: vec![Part::Lit(s.to_string())],
        }
    }

    /// The word's text if it has no expansions (used for heredoc delimiters and command names).
    pub fn literal_text(&self) -> Option<String> {
        let mut s = String::new();
        for p in &self.parts {
            match p {
                Part::Lit(t) | Part::Quoted(t) => s.push_str(t),
                Part::Double(inner) => {
                    for q in inner {
                        match q {
                            Part::Lit(t) | Part::Quoted(t) => s.push_str(t),
                            _ => return None,
                        }
                    }
                }
                _ => return None,
            }
        }
        Some(s)
    }

    /// True if any part was quoted (`'EOF'`, `"EOF"`, `\EOF`).
    pub fn has_quotes(&self) -> bool {
        self.parts
            .iter()
            .any(|p| matches!(p, Part::Quoted(_) | Part::Double(_)))
    }
}
