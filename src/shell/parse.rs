//! From text to [`Script`]: sh's quoting and operators, as a small recursive-descent parser over
//! characters. It is pure (no variables, no I/O) so it can be tested exhaustively and so the line
//! reader can ask "is this complete?" ([`needs_more`]) without running anything.
//!
//! What it knows: words with `'…'`, `"…"` and `\` quoting; `$NAME`, `${NAME}`, `${NAME:-w}` and
//! friends, `$?`, `$(…)` and `` `…` `` (nested, inside double quotes too); `;`, `&&`, `||`, `|`,
//! `!`, `( … )`; comments; redirections `>`, `>>`, `<`, `2>&1`, `&>`, `<<<`; heredocs `<<EOF`,
//! `<<'EOF'`, `<<-EOF` whose bodies are the lines that follow the command.
//!
//! Errors use bash's wording with an `sh:` prefix. Nothing here panics, whatever the input:
//! recursion is bounded ([`MAX_DEPTH`]) and every index is checked.

use super::ast::*;

/// How deeply `$(`, `(`, `${` and `` ` `` may nest before the parser gives up. Keeps hostile
/// input (`$($($(…` ten thousand times) from overflowing the stack.
pub const MAX_DEPTH: usize = 64;

/// The reserved words that begin or continue sh's compound commands.
const COMPOUND_WORDS: &[&str] = &[
    "while", "until", "for", "do", "done", "if", "then", "elif", "else", "fi", "case", "esac", "select", "function",
];

/// Why a line did not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// The text ends before the command does; more lines would complete it.
    Incomplete(Missing),
    /// A token where none is allowed (`| a`, `a && && b`, `;;`).
    Unexpected(String),
    /// `${…}` that is not a parameter expansion the shell knows.
    BadSubstitution(String),
    /// Something the lab shell deliberately does not do (background jobs, deep nesting).
    Unsupported(String),
}

/// What an incomplete line is still waiting for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// A closing quote or backquote.
    Quote(char),
    /// `)` of `$(` or `(`, `}` of `${`.
    Close(char),
    /// The next line after a trailing `\`.
    Continuation,
    /// A command after `|`, `&&` or `||`.
    Command,
    /// The heredoc terminator line.
    Heredoc(String),
}

impl ParseError {
    /// The message lines a shell prints for this error.
    pub fn messages(&self) -> Vec<String> {
        match self {
            ParseError::Incomplete(Missing::Quote(c)) => vec![
                format!("sh: unexpected EOF while looking for matching '{c}'"),
                "sh: syntax error: unexpected end of file".into(),
            ],
            ParseError::Incomplete(Missing::Close(c)) => vec![
                format!("sh: unexpected EOF while looking for matching '{c}'"),
                "sh: syntax error: unexpected end of file".into(),
            ],
            ParseError::Incomplete(_) => vec!["sh: syntax error: unexpected end of file".into()],
            ParseError::Unexpected(tok) => {
                vec![format!("sh: syntax error near unexpected token '{tok}'")]
            }
            ParseError::BadSubstitution(text) => vec![format!("sh: {text}: bad substitution")],
            ParseError::Unsupported(what) => vec![format!("sh: {what}")],
        }
    }
}

/// Whether an incomplete line is an error (the input ended) or a reason to read more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The input is all there is: a heredoc without its terminator ends at the end of the text
    /// (bash warns and carries on), a trailing `\` is a literal backslash.
    Final,
    /// More lines may follow: anything open is [`ParseError::Incomplete`].
    Interactive,
}

/// A parsed line and any warnings (bash's "here-document delimited by end-of-file").
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Parsed {
    pub script: Script,
    pub warnings: Vec<String>,
}

/// Parse a complete command line (possibly several lines: heredoc bodies, continuations).
pub fn parse(text: &str, mode: Mode) -> Result<Parsed, ParseError> {
    let mut p = Parser::new(text, mode);
    let mut script = p.script(None)?;
    if p.pos < p.s.len() {
        // `script(None)` only stops early on a stray `)`.
        return Err(ParseError::Unexpected(p.token_at()));
    }
    p.finish_heredocs()?;
    let mut bodies = std::mem::take(&mut p.bodies).into_iter();
    fill_heredocs(&mut script, &mut bodies);
    Ok(Parsed {
        script,
        warnings: p.warnings,
    })
}

/// True when `text` is not a complete command yet and the reader should append another line.
pub fn needs_more(text: &str) -> bool {
    missing(text).is_some()
}

/// What an incomplete `text` is still waiting for, or `None` when it is complete (or broken).
pub fn missing(text: &str) -> Option<Missing> {
    match parse(text, Mode::Interactive) {
        Err(ParseError::Incomplete(m)) => Some(m),
        _ => None,
    }
}

struct Pending {
    delim: String,
    strip_tabs: bool,
    quoted: bool,
}

struct Parser {
    s: Vec<char>,
    pos: usize,
    mode: Mode,
    depth: usize,
    pending: Vec<Pending>,
    bodies: Vec<Word>,
    warnings: Vec<String>,
}

fn is_name_start(c: char) -> bool {
    c == '_' || c.is_ascii_alphabetic()
}

fn is_name_char(c: char) -> bool {
    c == '_' || c.is_ascii_alphanumeric()
}

/// A valid variable name (`A`, `_x1`).
pub fn is_name(s: &str) -> bool {
    let mut it = s.chars();
    matches!(it.next(), Some(c) if is_name_start(c)) && it.all(is_name_char)
}

/// Characters that end an unquoted word.
fn is_meta(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | ';' | '&' | '|' | '<' | '>' | '(' | ')')
}

impl Parser {
    fn new(text: &str, mode: Mode) -> Parser {
        Parser {
            s: text.chars().collect(),
            pos: 0,
            mode,
            depth: 0,
            pending: Vec::new(),
            bodies: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn peek(&self) -> Option<char> {
        self.s.get(self.pos).copied()
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.s.get(self.pos + n).copied()
    }

    fn starts_with(&self, t: &str) -> bool {
        t.chars().enumerate().all(|(i, c)| self.peek_at(i) == Some(c))
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ParseError::Unsupported("expression nested too deeply".into()));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// The operator or word at the cursor, as bash names it in "unexpected token" errors.
    fn token_at(&self) -> String {
        for op in [";;", "&&", "||", ">>", "<<", "|", ";", "&", "(", ")", "<", ">"] {
            if self.starts_with(op) {
                return op.to_string();
            }
        }
        match self.peek() {
            None => "newline".into(),
            Some('\n') => "newline".into(),
            Some(_) => {
                let mut w = String::new();
                let mut i = self.pos;
                while let Some(&c) = self.s.get(i) {
                    if is_meta(c) {
                        break;
                    }
                    w.push(c);
                    i += 1;
                }
                w
            }
        }
    }

    /// Skip spaces, tabs and `\`-newline continuations.
    fn blanks(&mut self) {
        loop {
            match self.peek() {
                Some(' ' | '\t') => self.pos += 1,
                Some('\\') if self.peek_at(1) == Some('\n') => self.pos += 2,
                _ => return,
            }
        }
    }

    /// Skip blanks, comments and newlines (after `|`, `&&`, `||` a command may be on the next
    /// line), reading heredoc bodies at each newline.
    fn blanks_and_newlines(&mut self) -> Result<(), ParseError> {
        loop {
            self.blanks();
            match self.peek() {
                Some('\n') => {
                    self.pos += 1;
                    self.read_heredocs()?;
                }
                Some('#') => self.comment(),
                _ => return Ok(()),
            }
        }
    }

    fn comment(&mut self) {
        while let Some(c) = self.peek() {
            if c == '\n' {
                break;
            }
            self.pos += 1;
        }
    }

    /// A list of and-or lists, up to `term` (`)` for `$(…)` and subshells) or the end.
    fn script(&mut self, term: Option<char>) -> Result<Script, ParseError> {
        self.enter()?;
        let mut items = Vec::new();
        loop {
            self.blanks();
            let Some(c) = self.peek() else {
                if let Some(t) = term {
                    return Err(ParseError::Incomplete(Missing::Close(t)));
                }
                break;
            };
            match c {
                '#' => self.comment(),
                '\n' => {
                    self.pos += 1;
                    self.read_heredocs()?;
                }
                ')' => {
                    if term == Some(')') {
                        break;
                    }
                    return Err(ParseError::Unexpected(")".into()));
                }
                ';' | '&' | '|' => return Err(ParseError::Unexpected(self.token_at())),
                _ => {
                    items.push(self.and_or()?);
                    self.blanks();
                    match self.peek() {
                        Some(';') => {
                            if self.peek_at(1) == Some(';') {
                                return Err(ParseError::Unexpected(";;".into()));
                            }
                            self.pos += 1;
                        }
                        Some('&') => {
                            return Err(ParseError::Unsupported(
                                "background jobs ('&') are not supported in the lab shell".into(),
                            ))
                        }
                        Some('\n' | '#') | None => {}
                        Some(')') if term == Some(')') => {}
                        Some(_) => return Err(ParseError::Unexpected(self.token_at())),
                    }
                }
            }
        }
        self.leave();
        Ok(Script { items })
    }

    fn and_or(&mut self) -> Result<AndOr, ParseError> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        loop {
            self.blanks();
            let conn = if self.starts_with("&&") {
                Connector::And
            } else if self.starts_with("||") {
                Connector::Or
            } else {
                break;
            };
            self.pos += 2;
            self.after_operator()?;
            rest.push((conn, self.pipeline()?));
        }
        Ok(AndOr { first, rest })
    }

    /// After `|`, `&&`, `||`: a command must follow, possibly on a later line.
    fn after_operator(&mut self) -> Result<(), ParseError> {
        self.blanks_and_newlines()?;
        if self.peek().is_none() {
            return Err(ParseError::Incomplete(Missing::Command));
        }
        Ok(())
    }

    fn pipeline(&mut self) -> Result<Pipeline, ParseError> {
        self.blanks();
        let mut bang = false;
        if self.peek() == Some('!') && matches!(self.peek_at(1), None | Some(' ' | '\t' | '\n' | ';')) {
            bang = true;
            self.pos += 1;
            self.blanks();
            if matches!(self.peek(), None | Some('\n' | ';')) {
                // `!` alone negates an empty command, as in bash: status 1.
                return Ok(Pipeline {
                    bang,
                    commands: Vec::new(),
                });
            }
        }
        let mut commands = vec![self.command()?];
        loop {
            self.blanks();
            if self.peek() == Some('|') && self.peek_at(1) != Some('|') {
                self.pos += 1;
                self.after_operator()?;
                if self.peek() == Some('!') && matches!(self.peek_at(1), None | Some(' ' | '\t')) {
                    // `!` only negates a whole pipeline, from its start.
                    return Err(ParseError::Unexpected("!".into()));
                }
                commands.push(self.command()?);
            } else {
                break;
            }
        }
        Ok(Pipeline { bang, commands })
    }

    fn command(&mut self) -> Result<Command, ParseError> {
        self.blanks();
        if self.peek() == Some('(') {
            self.pos += 1;
            let inner = self.script(Some(')'))?;
            if self.peek() != Some(')') {
                return Err(ParseError::Incomplete(Missing::Close(')')));
            }
            self.pos += 1;
            if inner.items.is_empty() {
                return Err(ParseError::Unexpected(")".into()));
            }
            let mut redirects = Vec::new();
            loop {
                self.blanks();
                if !self.redirect(&mut redirects)? {
                    break;
                }
            }
            return Ok(Command::Subshell(inner, redirects));
        }
        let mut cmd = SimpleCommand::default();
        loop {
            self.blanks();
            let Some(c) = self.peek() else { break };
            match c {
                '\n' | ';' | '|' | ')' => break,
                '&' if self.peek_at(1) != Some('>') => break,
                '#' => {
                    self.comment();
                    break;
                }
                '(' => return Err(ParseError::Unexpected("(".into())),
                _ => {
                    if self.redirect(&mut cmd.redirects)? {
                        continue;
                    }
                    let word = self.word()?;
                    if cmd.words.is_empty() {
                        if let Some((name, value)) = split_assignment(&word) {
                            cmd.assigns.push((name, value));
                            continue;
                        }
                        // sh's compound commands: say so, instead of "command not found" for
                        // each of `while`, `do` and `done`.
                        if let [Part::Lit(w)] = word.parts.as_slice() {
                            if COMPOUND_WORDS.contains(&w.as_str()) {
                                return Err(ParseError::Unsupported(format!(
                                    "{w}: loops and if/case blocks are not part of the lab's shell; run them in your own terminal"
                                )));
                            }
                        }
                    }
                    cmd.words.push(word);
                }
            }
        }
        if cmd.assigns.is_empty() && cmd.words.is_empty() && cmd.redirects.is_empty() {
            return Err(ParseError::Unexpected(self.token_at()));
        }
        Ok(Command::Simple(cmd))
    }

    /// A redirection at the cursor, if there is one.
    fn redirect(&mut self, into: &mut Vec<Redirect>) -> Result<bool, ParseError> {
        let start = self.pos;
        if self.starts_with("&>") {
            self.pos += 2;
            let append = self.peek() == Some('>');
            if append {
                self.pos += 1;
            }
            let target = self.target()?;
            into.push(Redirect {
                fd: 1,
                op: if append {
                    RedirOp::Append(target)
                } else {
                    RedirOp::Out(target)
                },
            });
            into.push(Redirect {
                fd: 2,
                op: RedirOp::Dup(1),
            });
            return Ok(true);
        }
        let mut digits = String::new();
        while let Some(c) = self.peek() {
            if c.is_ascii_digit() && digits.len() < 3 {
                digits.push(c);
                self.pos += 1;
            } else {
                break;
            }
        }
        let Some(c) = self.peek() else {
            self.pos = start;
            return Ok(false);
        };
        if c != '<' && c != '>' {
            self.pos = start;
            return Ok(false);
        }
        let explicit: Option<u32> = digits.parse().ok();
        let redirect = if self.starts_with(">>") {
            self.pos += 2;
            Redirect {
                fd: explicit.unwrap_or(1),
                op: RedirOp::Append(self.target()?),
            }
        } else if self.starts_with(">&") || self.starts_with("<&") {
            let default_fd = if c == '>' { 1 } else { 0 };
            self.pos += 2;
            self.blanks();
            let mut n = String::new();
            while let Some(d) = self.peek().filter(char::is_ascii_digit) {
                n.push(d);
                self.pos += 1;
            }
            match n.parse::<u32>() {
                Ok(to) if self.peek().is_none_or(is_meta) => Redirect {
                    fd: explicit.unwrap_or(default_fd),
                    op: RedirOp::Dup(to),
                },
                _ => return Err(ParseError::Unexpected(self.token_at())),
            }
        } else if self.starts_with(">|") {
            self.pos += 2;
            Redirect {
                fd: explicit.unwrap_or(1),
                op: RedirOp::Out(self.target()?),
            }
        } else if c == '>' {
            self.pos += 1;
            Redirect {
                fd: explicit.unwrap_or(1),
                op: RedirOp::Out(self.target()?),
            }
        } else if self.starts_with("<<<") {
            self.pos += 3;
            Redirect {
                fd: explicit.unwrap_or(0),
                op: RedirOp::HereString(self.target()?),
            }
        } else if self.starts_with("<<") {
            self.pos += 2;
            let strip_tabs = self.peek() == Some('-');
            if strip_tabs {
                self.pos += 1;
            }
            let word = self.target()?;
            let Some(delim) = word.literal_text() else {
                return Err(ParseError::Unsupported("a heredoc delimiter must be plain text".into()));
            };
            self.pending.push(Pending {
                delim,
                strip_tabs,
                quoted: word.has_quotes(),
            });
            Redirect {
                fd: explicit.unwrap_or(0),
                op: RedirOp::Heredoc(Word::default()),
            }
        } else if self.starts_with("<>") {
            return Err(ParseError::Unsupported(
                "'<>' redirections are not supported in the lab shell".into(),
            ));
        } else {
            self.pos += 1;
            Redirect {
                fd: explicit.unwrap_or(0),
                op: RedirOp::In(self.target()?),
            }
        };
        into.push(redirect);
        Ok(true)
    }

    /// The word after a redirection operator.
    fn target(&mut self) -> Result<Word, ParseError> {
        self.blanks();
        match self.peek() {
            None if self.mode == Mode::Interactive => Err(ParseError::Unexpected("newline".into())),
            Some(c) if is_meta(c) => Err(ParseError::Unexpected(self.token_at())),
            None => Err(ParseError::Unexpected("newline".into())),
            Some(_) => self.word(),
        }
    }

    /// One word, up to an unquoted blank or operator.
    fn word(&mut self) -> Result<Word, ParseError> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        while let Some(c) = self.peek() {
            if is_meta(c) {
                break;
            }
            match c {
                '\'' => {
                    flush(&mut lit, &mut parts);
                    parts.push(Part::Quoted(self.single_quoted()?));
                }
                '"' => {
                    flush(&mut lit, &mut parts);
                    self.pos += 1;
                    parts.push(Part::Double(self.double_quoted()?));
                }
                '\\' => {
                    self.pos += 1;
                    match self.peek() {
                        None => {
                            if self.mode == Mode::Interactive {
                                return Err(ParseError::Incomplete(Missing::Continuation));
                            }
                            lit.push('\\');
                        }
                        Some('\n') => self.pos += 1,
                        Some(ch) => {
                            flush(&mut lit, &mut parts);
                            parts.push(Part::Quoted(ch.to_string()));
                            self.pos += 1;
                        }
                    }
                }
                '$' => {
                    flush(&mut lit, &mut parts);
                    parts.push(self.dollar()?);
                }
                '`' => {
                    flush(&mut lit, &mut parts);
                    parts.push(self.backquote()?);
                }
                _ => {
                    lit.push(c);
                    self.pos += 1;
                }
            }
        }
        flush(&mut lit, &mut parts);
        Ok(Word { parts })
    }

    fn single_quoted(&mut self) -> Result<String, ParseError> {
        self.pos += 1;
        let mut s = String::new();
        loop {
            match self.peek() {
                None => return Err(ParseError::Incomplete(Missing::Quote('\''))),
                Some('\'') => {
                    self.pos += 1;
                    return Ok(s);
                }
                Some(c) => {
                    s.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    /// The inside of `"…"` (the opening quote already consumed).
    fn double_quoted(&mut self) -> Result<Vec<Part>, ParseError> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(ParseError::Incomplete(Missing::Quote('"')));
            };
            match c {
                '"' => {
                    self.pos += 1;
                    break;
                }
                '\\' => {
                    self.pos += 1;
                    match self.peek() {
                        None => return Err(ParseError::Incomplete(Missing::Quote('"'))),
                        Some('\n') => self.pos += 1,
                        Some(ch @ ('$' | '`' | '"' | '\\')) => {
                            lit.push(ch);
                            self.pos += 1;
                        }
                        Some(_) => lit.push('\\'),
                    }
                }
                '$' => {
                    flush_quoted(&mut lit, &mut parts);
                    parts.push(self.dollar()?);
                }
                '`' => {
                    flush_quoted(&mut lit, &mut parts);
                    parts.push(self.backquote()?);
                }
                _ => {
                    lit.push(c);
                    self.pos += 1;
                }
            }
        }
        flush_quoted(&mut lit, &mut parts);
        Ok(parts)
    }

    /// `$…` at the cursor.
    fn dollar(&mut self) -> Result<Part, ParseError> {
        self.pos += 1;
        match self.peek() {
            Some('(') if self.peek_at(1) == Some('(') && self.arith_end().is_some() => {
                let end = self.arith_end().unwrap_or(self.pos);
                let raw: String = self.s[self.pos + 2..end].iter().collect();
                self.pos = end + 2;
                self.enter()?;
                let word = self.heredoc_word(&raw, false)?;
                self.leave();
                Ok(Part::Arith(Box::new(word)))
            }
            Some('(') if self.peek_at(1) == Some('(') && self.mode == Mode::Interactive && self.arith_open() => {
                Err(ParseError::Incomplete(Missing::Close(')')))
            }
            Some('(') => {
                self.pos += 1;
                let script = self.script(Some(')'))?;
                if self.peek() != Some(')') {
                    return Err(ParseError::Incomplete(Missing::Close(')')));
                }
                self.pos += 1;
                Ok(Part::Subst(Box::new(script)))
            }
            Some('{') => self.braced(),
            Some(c @ ('?' | '$' | '#' | '!' | '@' | '*' | '-' | '0'..='9')) => {
                self.pos += 1;
                Ok(Part::Param(Param {
                    name: c.to_string(),
                    op: ParamOp::Plain,
                }))
            }
            Some(c) if is_name_start(c) => {
                let mut name = String::new();
                while let Some(c) = self.peek().filter(|c| is_name_char(*c)) {
                    name.push(c);
                    self.pos += 1;
                }
                Ok(Part::Param(Param {
                    name,
                    op: ParamOp::Plain,
                }))
            }
            _ => Ok(Part::Quoted("$".into())),
        }
    }

    /// For `$((` at the cursor: the index of the `))` that closes it, if the parentheses between
    /// balance (otherwise it is a command substitution starting with a subshell, as in bash).
    fn arith_end(&self) -> Option<usize> {
        let mut depth = 0usize;
        let mut i = self.pos + 2;
        while let Some(&c) = self.s.get(i) {
            match c {
                '(' => depth += 1,
                ')' if depth == 0 => return (self.s.get(i + 1) == Some(&')')).then_some(i),
                ')' => depth -= 1,
                _ => {}
            }
            i += 1;
        }
        None
    }

    /// `$((` whose parentheses never go below zero before the text ends: more may follow.
    fn arith_open(&self) -> bool {
        let mut depth = 0usize;
        for &c in &self.s[self.pos + 2..] {
            match c {
                '(' => depth += 1,
                ')' if depth == 0 => return false,
                ')' => depth -= 1,
                _ => {}
            }
        }
        true
    }

    /// `${…}` at the cursor (on the `{`).
    fn braced(&mut self) -> Result<Part, ParseError> {
        let open = self.pos - 1; // the `$`
        self.pos += 1;
        self.enter()?;
        let bad = |p: &mut Parser| -> ParseError {
            // Report the whole `${…}` as bash does, or ask for the missing `}`.
            let mut depth = 0usize;
            while let Some(c) = p.peek() {
                p.pos += 1;
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        let text: String = p.s[open..p.pos].iter().collect();
                        return ParseError::BadSubstitution(text);
                    }
                    '}' => depth -= 1,
                    _ => {}
                }
            }
            ParseError::Incomplete(Missing::Close('}'))
        };
        let length = self.peek() == Some('#') && self.peek_at(1).is_some_and(|c| c != '}');
        if length {
            self.pos += 1;
        }
        let mut name = String::new();
        match self.peek() {
            Some(c) if is_name_start(c) => {
                while let Some(c) = self.peek().filter(|c| is_name_char(*c)) {
                    name.push(c);
                    self.pos += 1;
                }
            }
            Some(c @ ('?' | '$' | '#' | '!' | '@' | '*' | '-' | '0'..='9')) => {
                name.push(c);
                self.pos += 1;
            }
            None => return Err(ParseError::Incomplete(Missing::Close('}'))),
            Some(_) => return Err(bad(self)),
        }
        let op = if length {
            if self.peek() != Some('}') {
                return Err(bad(self));
            }
            ParamOp::Length
        } else {
            let colon = self.peek() == Some(':');
            let kind = if colon { self.peek_at(1) } else { self.peek() };
            match kind {
                Some('}') if !colon => ParamOp::Plain,
                Some(k @ ('-' | '=' | '+' | '?')) => {
                    self.pos += if colon { 2 } else { 1 };
                    let word = self.brace_word()?;
                    match k {
                        '-' => ParamOp::Default { colon, word },
                        '=' => ParamOp::Assign { colon, word },
                        '+' => ParamOp::Alt { colon, word },
                        _ => ParamOp::Error { colon, word },
                    }
                }
                None => return Err(ParseError::Incomplete(Missing::Close('}'))),
                Some(_) => return Err(bad(self)),
            }
        };
        if self.peek() != Some('}') {
            return Err(if self.peek().is_none() {
                ParseError::Incomplete(Missing::Close('}'))
            } else {
                bad(self)
            });
        }
        self.pos += 1;
        if matches!(op, ParamOp::Assign { .. }) && !is_name(&name) {
            let text: String = self.s[open..self.pos].iter().collect();
            return Err(ParseError::BadSubstitution(text));
        }
        self.leave();
        Ok(Part::Param(Param { name, op }))
    }

    /// The word in `${A:-word}`: quotes and expansions work, blanks are kept, `}` ends it.
    fn brace_word(&mut self) -> Result<Word, ParseError> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(ParseError::Incomplete(Missing::Close('}')));
            };
            match c {
                '}' => break,
                '\'' => {
                    flush(&mut lit, &mut parts);
                    parts.push(Part::Quoted(self.single_quoted()?));
                }
                '"' => {
                    flush(&mut lit, &mut parts);
                    self.pos += 1;
                    parts.push(Part::Double(self.double_quoted()?));
                }
                '\\' => {
                    self.pos += 1;
                    if let Some(ch) = self.peek() {
                        flush(&mut lit, &mut parts);
                        parts.push(Part::Quoted(ch.to_string()));
                        self.pos += 1;
                    }
                }
                '$' => {
                    flush(&mut lit, &mut parts);
                    parts.push(self.dollar()?);
                }
                '`' => {
                    flush(&mut lit, &mut parts);
                    parts.push(self.backquote()?);
                }
                _ => {
                    lit.push(c);
                    self.pos += 1;
                }
            }
        }
        flush(&mut lit, &mut parts);
        Ok(Word { parts })
    }

    /// `` `…` ``: the old form of `$(…)`.
    fn backquote(&mut self) -> Result<Part, ParseError> {
        self.pos += 1;
        let mut raw = String::new();
        loop {
            match self.peek() {
                None => return Err(ParseError::Incomplete(Missing::Quote('`'))),
                Some('`') => {
                    self.pos += 1;
                    break;
                }
                Some('\\') => {
                    self.pos += 1;
                    match self.peek() {
                        Some(c @ ('`' | '\\' | '$')) => {
                            raw.push(c);
                            self.pos += 1;
                        }
                        _ => raw.push('\\'),
                    }
                }
                Some(c) => {
                    raw.push(c);
                    self.pos += 1;
                }
            }
        }
        let mut inner = Parser::new(&raw, self.mode);
        inner.depth = self.depth + 1;
        if inner.depth > MAX_DEPTH {
            return Err(ParseError::Unsupported("expression nested too deeply".into()));
        }
        let mut script = inner.script(None)?;
        if inner.pos < inner.s.len() {
            return Err(ParseError::Unexpected(inner.token_at()));
        }
        inner.finish_heredocs()?;
        let mut bodies = std::mem::take(&mut inner.bodies).into_iter();
        fill_heredocs(&mut script, &mut bodies);
        self.warnings.append(&mut inner.warnings);
        Ok(Part::Subst(Box::new(script)))
    }

    /// After a newline: the bodies of the heredocs started on the line just ended.
    fn read_heredocs(&mut self) -> Result<(), ParseError> {
        for h in std::mem::take(&mut self.pending) {
            let mut body = String::new();
            let mut terminated = false;
            while self.pos < self.s.len() {
                let mut line = String::new();
                let mut newline = false;
                while let Some(c) = self.peek() {
                    self.pos += 1;
                    if c == '\n' {
                        newline = true;
                        break;
                    }
                    line.push(c);
                }
                let line = if h.strip_tabs {
                    line.trim_start_matches('\t').to_string()
                } else {
                    line
                };
                if line == h.delim {
                    terminated = true;
                    break;
                }
                if !newline && self.mode == Mode::Interactive {
                    // The last line is still being typed.
                    return Err(ParseError::Incomplete(Missing::Heredoc(h.delim)));
                }
                body.push_str(&line);
                body.push('\n');
            }
            if !terminated {
                if self.mode == Mode::Interactive {
                    return Err(ParseError::Incomplete(Missing::Heredoc(h.delim)));
                }
                self.warnings.push(format!(
                    "sh: warning: here-document delimited by end-of-file (wanted '{}')",
                    h.delim
                ));
            }
            let word = self.heredoc_word(&body, h.quoted)?;
            self.bodies.push(word);
        }
        Ok(())
    }

    /// Heredocs still open when the text ends.
    fn finish_heredocs(&mut self) -> Result<(), ParseError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        if self.mode == Mode::Interactive {
            return Err(ParseError::Incomplete(Missing::Heredoc(self.pending[0].delim.clone())));
        }
        self.read_heredocs()
    }

    /// A heredoc body: literal with a quoted delimiter, otherwise `$…`, `` `…` `` and `\$ \` \\`
    /// work as inside double quotes (but `"` is an ordinary character).
    fn heredoc_word(&mut self, body: &str, quoted: bool) -> Result<Word, ParseError> {
        if quoted {
            return Ok(Word {
                parts: vec![Part::Quoted(body.to_string())],
            });
        }
        let mut p = Parser::new(body, Mode::Final);
        p.depth = self.depth;
        let mut parts = Vec::new();
        let mut lit = String::new();
        while let Some(c) = p.peek() {
            match c {
                '\\' => {
                    p.pos += 1;
                    match p.peek() {
                        Some('\n') => p.pos += 1,
                        Some(ch @ ('$' | '`' | '\\')) => {
                            lit.push(ch);
                            p.pos += 1;
                        }
                        _ => lit.push('\\'),
                    }
                }
                '$' => {
                    flush_quoted(&mut lit, &mut parts);
                    parts.push(p.dollar()?);
                }
                '`' => {
                    flush_quoted(&mut lit, &mut parts);
                    parts.push(p.backquote()?);
                }
                _ => {
                    lit.push(c);
                    p.pos += 1;
                }
            }
        }
        flush_quoted(&mut lit, &mut parts);
        self.warnings.append(&mut p.warnings);
        Ok(Word {
            parts: vec![Part::Double(parts)],
        })
    }
}

fn flush(lit: &mut String, parts: &mut Vec<Part>) {
    if !lit.is_empty() {
        parts.push(Part::Lit(std::mem::take(lit)));
    }
}

fn flush_quoted(lit: &mut String, parts: &mut Vec<Part>) {
    if !lit.is_empty() {
        parts.push(Part::Quoted(std::mem::take(lit)));
    }
}

/// `NAME=value` as the first words of a command.
fn split_assignment(word: &Word) -> Option<(String, Word)> {
    let Some(Part::Lit(first)) = word.parts.first() else {
        return None;
    };
    let eq = first.find('=')?;
    let name = &first[..eq];
    if !is_name(name) {
        return None;
    }
    let mut parts = Vec::new();
    if eq + 1 < first.len() {
        parts.push(Part::Lit(first[eq + 1..].to_string()));
    }
    parts.extend(word.parts[1..].iter().cloned());
    Some((name.to_string(), Word { parts }))
}

/// Put heredoc bodies into the tree, in the order their `<<` appeared.
fn fill_heredocs(script: &mut Script, bodies: &mut impl Iterator<Item = Word>) {
    for item in &mut script.items {
        for p in std::iter::once(&mut item.first).chain(item.rest.iter_mut().map(|(_, p)| p)) {
            for c in &mut p.commands {
                let redirects = match c {
                    Command::Simple(s) => &mut s.redirects,
                    Command::Subshell(_, r) => r,
                };
                for r in redirects {
                    if let RedirOp::Heredoc(w) = &mut r.op {
                        if let Some(b) = bodies.next() {
                            *w = b;
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> Script {
        parse(s, Mode::Final).unwrap_or_else(|e| panic!("{s:?}: {e:?}")).script
    }

    fn err(s: &str) -> ParseError {
        parse(s, Mode::Final).expect_err(s)
    }

    fn simple(script: &Script, item: usize, cmd: usize) -> &SimpleCommand {
        match &script.items[item].first.commands[cmd] {
            Command::Simple(s) => s,
            other => panic!("{other:?}"),
        }
    }

    fn lit(s: &str) -> Part {
        Part::Lit(s.into())
    }

    fn q(s: &str) -> Part {
        Part::Quoted(s.into())
    }

    fn var(s: &str) -> Part {
        Part::Param(Param {
            name: s.into(),
            op: ParamOp::Plain,
        })
    }

    #[test]
    fn words_and_blanks() {
        let s = ok("  kubectl   get\tsvc  ");
        let c = simple(&s, 0, 0);
        assert_eq!(c.words, vec![Word::lit("kubectl"), Word::lit("get"), Word::lit("svc")]);
    }

    #[test]
    fn single_quotes_are_literal() {
        let s = ok(r#"echo '{.items[0].metadata.name} $A \n "x"'"#);
        assert_eq!(
            simple(&s, 0, 0).words[1].parts,
            vec![q(r#"{.items[0].metadata.name} $A \n "x""#)]
        );
    }

    #[test]
    fn double_quotes_expand_and_escape() {
        let s = ok(r#"echo "a $B \$c \" \\ \x""#);
        assert_eq!(
            simple(&s, 0, 0).words[1].parts,
            vec![Part::Double(vec![q("a "), var("B"), q(r#" $c " \ \x"#)])]
        );
    }

    #[test]
    fn backslash_outside_quotes() {
        let s = ok(r"echo a\ b \$X");
        let w = &simple(&s, 0, 0).words;
        assert_eq!(w[1].parts, vec![lit("a"), q(" "), lit("b")]);
        assert_eq!(w[2].parts, vec![q("$"), lit("X")]);
    }

    #[test]
    fn glued_parts_make_one_word() {
        let s = ok(r#"curl http://$NODE_IP:"$PORT"/x'y'"#);
        let w = &simple(&s, 0, 0).words[1];
        assert_eq!(
            w.parts,
            vec![
                lit("http://"),
                var("NODE_IP"),
                lit(":"),
                Part::Double(vec![var("PORT")]),
                lit("/x"),
                q("y")
            ]
        );
    }

    #[test]
    fn operators() {
        let s = ok("a; b && c || d | e;");
        assert_eq!(s.items.len(), 2);
        assert_eq!(s.items[1].rest.len(), 2);
        assert_eq!(s.items[1].rest[0].0, Connector::And);
        assert_eq!(s.items[1].rest[1].0, Connector::Or);
        assert_eq!(s.items[1].rest[1].1.commands.len(), 2);
    }

    #[test]
    fn operators_without_spaces() {
        let s = ok("a&&b||c|d;e");
        assert_eq!(s.items.len(), 2);
        assert_eq!(s.items[0].rest.len(), 2);
    }

    #[test]
    fn comments() {
        let s = ok("echo a # b c");
        assert_eq!(simple(&s, 0, 0).words.len(), 2);
        assert!(ok("# only a comment").items.is_empty());
        let s = ok("echo a#b");
        assert_eq!(simple(&s, 0, 0).words[1], Word::lit("a#b"));
    }

    #[test]
    fn variables() {
        let s = ok("echo $A ${B} $? $1 $");
        let w = &simple(&s, 0, 0).words;
        assert_eq!(w[1].parts, vec![var("A")]);
        assert_eq!(w[2].parts, vec![var("B")]);
        assert_eq!(w[3].parts, vec![var("?")]);
        assert_eq!(w[4].parts, vec![var("1")]);
        assert_eq!(w[5].parts, vec![q("$")]);
    }

    #[test]
    fn braced_operators() {
        let s = ok("echo ${A:-x y} ${#A} ${A+z} ${A:?oops}");
        let w = &simple(&s, 0, 0).words;
        assert_eq!(
            w[1].parts,
            vec![Part::Param(Param {
                name: "A".into(),
                op: ParamOp::Default {
                    colon: true,
                    word: Word::lit("x y")
                }
            })]
        );
        assert_eq!(
            w[2].parts,
            vec![Part::Param(Param {
                name: "A".into(),
                op: ParamOp::Length
            })]
        );
        assert!(matches!(
            &w[3].parts[0],
            Part::Param(Param {
                op: ParamOp::Alt { colon: false, .. },
                ..
            })
        ));
        assert!(matches!(
            &w[4].parts[0],
            Part::Param(Param {
                op: ParamOp::Error { colon: true, .. },
                ..
            })
        ));
    }

    #[test]
    fn bad_substitutions() {
        assert_eq!(err("echo ${a b}"), ParseError::BadSubstitution("${a b}".into()));
        assert_eq!(err("echo ${}"), ParseError::BadSubstitution("${}".into()));
        assert_eq!(err("echo ${a/b/c}"), ParseError::BadSubstitution("${a/b/c}".into()));
        assert_eq!(err("echo ${"), ParseError::Incomplete(Missing::Close('}')));
        assert_eq!(err("echo ${A:-x"), ParseError::Incomplete(Missing::Close('}')));
    }

    #[test]
    fn command_substitution_nests() {
        let s = ok(r#"export POD=$(kubectl get pods -o jsonpath='{.items[0].metadata.name}')"#);
        let c = simple(&s, 0, 0);
        assert_eq!(c.words[1].parts[0], lit("POD="));
        let Part::Subst(inner) = &c.words[1].parts[1] else {
            panic!()
        };
        assert_eq!(simple(inner, 0, 0).words.len(), 5);

        let s = ok(r#"echo "x $(echo "$(echo a) b") y""#);
        let Part::Double(parts) = &simple(&s, 0, 0).words[1].parts[0] else {
            panic!()
        };
        assert!(matches!(parts[1], Part::Subst(_)));
    }

    #[test]
    fn substitution_with_paren_in_quotes() {
        let s = ok("echo $(echo ')')");
        let Part::Subst(inner) = &simple(&s, 0, 0).words[1].parts[0] else {
            panic!()
        };
        assert_eq!(simple(inner, 0, 0).words[1].parts, vec![q(")")]);
    }

    #[test]
    fn backquotes() {
        let s = ok("echo `echo a`");
        assert!(matches!(simple(&s, 0, 0).words[1].parts[0], Part::Subst(_)));
    }

    #[test]
    fn assignments() {
        let s = ok("A=b C=$(x) cmd D=e");
        let c = simple(&s, 0, 0);
        assert_eq!(c.assigns.len(), 2);
        assert_eq!(c.assigns[0], ("A".into(), Word::lit("b")));
        assert_eq!(c.words.len(), 2);
        let s = ok("A=");
        assert_eq!(simple(&s, 0, 0).assigns[0], ("A".into(), Word::default()));
        let s = ok("1A=b");
        assert_eq!(simple(&s, 0, 0).words.len(), 1);
        let s = ok("'A'=b");
        assert!(simple(&s, 0, 0).assigns.is_empty());
    }

    #[test]
    fn heredoc_unquoted_expands() {
        let s = ok("kubectl apply -f - <<EOF\nname: $N\nx: \\$y\nEOF\necho after");
        let c = simple(&s, 0, 0);
        let RedirOp::Heredoc(w) = &c.redirects[0].op else {
            panic!()
        };
        assert_eq!(w.parts, vec![Part::Double(vec![q("name: "), var("N"), q("\nx: $y\n")])]);
        assert_eq!(s.items.len(), 2);
    }

    #[test]
    fn heredoc_quoted_is_literal() {
        for d in ["'EOF'", "\"EOF\"", "\\EOF", "E'O'F"] {
            let s = ok(&format!("cat <<{d}\n$A\nEOF"));
            let RedirOp::Heredoc(w) = &simple(&s, 0, 0).redirects[0].op else {
                panic!()
            };
            assert_eq!(w.parts, vec![q("$A\n")], "{d}");
        }
    }

    #[test]
    fn heredoc_strip_tabs_and_spaced_delimiter() {
        let s = ok("cat <<- END\n\t\tindented\n\tEND\n");
        let RedirOp::Heredoc(w) = &simple(&s, 0, 0).redirects[0].op else {
            panic!()
        };
        assert_eq!(w.parts, vec![Part::Double(vec![q("indented\n")])]);
    }

    #[test]
    fn two_heredocs_in_order() {
        let s = ok("cat <<A; cat <<B\none\nA\ntwo\nB");
        let RedirOp::Heredoc(a) = &simple(&s, 0, 0).redirects[0].op else {
            panic!()
        };
        let RedirOp::Heredoc(b) = &simple(&s, 1, 0).redirects[0].op else {
            panic!()
        };
        assert_eq!(a.parts, vec![Part::Double(vec![q("one\n")])]);
        assert_eq!(b.parts, vec![Part::Double(vec![q("two\n")])]);
    }

    #[test]
    fn heredoc_with_pipe() {
        let s = ok("cat <<EOF | grep a\na\nb\nEOF");
        assert_eq!(s.items[0].first.commands.len(), 2);
    }

    #[test]
    fn heredoc_at_end_of_input_warns() {
        let p = parse("cat <<EOF\nx", Mode::Final).unwrap();
        assert_eq!(p.warnings.len(), 1);
        let RedirOp::Heredoc(w) = &simple(&p.script, 0, 0).redirects[0].op else {
            panic!()
        };
        assert_eq!(w.parts, vec![Part::Double(vec![q("x\n")])]);
    }

    #[test]
    fn redirections() {
        let s = ok("a > f 2>&1 >>g <h 2>/dev/null &>all <<<'w'");
        let r = &simple(&s, 0, 0).redirects;
        assert_eq!(
            r[0],
            Redirect {
                fd: 1,
                op: RedirOp::Out(Word::lit("f"))
            }
        );
        assert_eq!(
            r[1],
            Redirect {
                fd: 2,
                op: RedirOp::Dup(1)
            }
        );
        assert_eq!(
            r[2],
            Redirect {
                fd: 1,
                op: RedirOp::Append(Word::lit("g"))
            }
        );
        assert_eq!(
            r[3],
            Redirect {
                fd: 0,
                op: RedirOp::In(Word::lit("h"))
            }
        );
        assert_eq!(
            r[4],
            Redirect {
                fd: 2,
                op: RedirOp::Out(Word::lit("/dev/null"))
            }
        );
        assert_eq!(
            r[5],
            Redirect {
                fd: 1,
                op: RedirOp::Out(Word::lit("all"))
            }
        );
        assert_eq!(
            r[6],
            Redirect {
                fd: 2,
                op: RedirOp::Dup(1)
            }
        );
        assert_eq!(
            r[7],
            Redirect {
                fd: 0,
                op: RedirOp::HereString(Word { parts: vec![q("w")] })
            }
        );
        // A digit not followed by `>` is an ordinary word.
        let s = ok("echo 2 3");
        assert_eq!(simple(&s, 0, 0).words.len(), 3);
    }

    #[test]
    fn subshell_and_bang() {
        let s = ok("( A=1; echo $A ) && ! false");
        assert!(matches!(s.items[0].first.commands[0], Command::Subshell(..)));
        assert!(s.items[0].rest[0].1.bang);
    }

    #[test]
    fn syntax_errors_use_bash_wording() {
        assert_eq!(err("| a"), ParseError::Unexpected("|".into()));
        assert_eq!(err("a | | b"), ParseError::Unexpected("|".into()));
        assert_eq!(err("a && && b"), ParseError::Unexpected("&&".into()));
        assert_eq!(err(";"), ParseError::Unexpected(";".into()));
        assert_eq!(err("a;;"), ParseError::Unexpected(";;".into()));
        assert_eq!(err("a ; ; b"), ParseError::Unexpected(";".into()));
        assert_eq!(err("a )"), ParseError::Unexpected(")".into()));
        assert_eq!(err("echo a(b"), ParseError::Unexpected("(".into()));
        assert_eq!(err("echo >"), ParseError::Unexpected("newline".into()));
        assert_eq!(err("echo > ;"), ParseError::Unexpected(";".into()));
        assert_eq!(err("()"), ParseError::Unexpected(")".into()));
        assert_eq!(err("a | "), ParseError::Incomplete(Missing::Command));
        assert_eq!(err("'abc"), ParseError::Incomplete(Missing::Quote('\'')));
        assert_eq!(err("echo \"abc"), ParseError::Incomplete(Missing::Quote('"')));
        assert_eq!(err("echo $(ls"), ParseError::Incomplete(Missing::Close(')')));
        assert!(matches!(err("sleep 1 &"), ParseError::Unsupported(_)));
        assert_eq!(
            err("| a").messages(),
            vec!["sh: syntax error near unexpected token '|'".to_string()]
        );
        assert_eq!(
            err("a &&").messages(),
            vec!["sh: syntax error: unexpected end of file".to_string()]
        );
    }

    #[test]
    fn needs_more_for_open_constructs() {
        for s in [
            "echo 'a",
            "echo \"a",
            "echo a \\",
            "a |",
            "a &&",
            "a ||",
            "cat <<EOF",
            "cat <<EOF\nbody",
            "cat <<EOF\nbody\n",
            "echo $(ls",
            "echo `ls",
            "echo ${A",
            "(echo a",
        ] {
            assert!(needs_more(s), "{s:?}");
        }
        for s in [
            "echo a",
            "echo 'a\nb'",
            "a | b",
            "cat <<EOF\nbody\nEOF",
            "cat <<EOF\nbody\nEOF\n",
            "",
            "| a",
            "echo ${a b}",
            "a;",
        ] {
            assert!(!needs_more(s), "{s:?}");
        }
    }

    #[test]
    fn continuation_lines_join() {
        let s = ok("kubectl get \\\n  pods");
        assert_eq!(simple(&s, 0, 0).words.len(), 3);
        let s = ok("a |\n b");
        assert_eq!(s.items[0].first.commands.len(), 2);
        let s = ok("a &&\n\n b");
        assert_eq!(s.items[0].rest.len(), 1);
    }

    #[test]
    fn trailing_backslash_at_end_of_input_is_literal() {
        let s = ok("echo a\\");
        assert_eq!(simple(&s, 0, 0).words[1], Word::lit("a\\"));
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let s = "$(".repeat(10_000);
        assert!(matches!(err(&s), ParseError::Unsupported(_)));
        let s = format!("echo {}a{}", "$(echo ".repeat(10), ")".repeat(10));
        ok(&s);
        let s = "(".repeat(10_000);
        assert!(matches!(err(&s), ParseError::Unsupported(_)));
        let s = "${A:-".repeat(10_000);
        assert!(matches!(err(&s), ParseError::Unsupported(_)));
        let s = "`".repeat(3) + &"\\`".repeat(200);
        let _ = parse(&s, Mode::Final);
    }

    #[test]
    fn never_panics_on_odd_input() {
        let samples = [
            "\0",
            "\x1b[A",
            "$",
            "${",
            "$(",
            "`",
            "\\",
            "<<",
            "<<<",
            ">&",
            "2>&",
            "&>",
            "!",
            "! ",
            "((",
            "))",
            "{",
            "}",
            "$((1+2))",
            "a=b=c",
            "=",
            "'",
            "\"",
            "<<EOF\n",
            "\u{feff}echo",
            "日本語 'テスト'",
        ];
        for s in samples {
            let _ = parse(s, Mode::Final);
            let _ = parse(s, Mode::Interactive);
        }
        let big = "a ".repeat(200_000);
        assert_eq!(simple(&ok(&big), 0, 0).words.len(), 200_000);
    }
}
