//! Reading PostgreSQL's `COPY … TO STDOUT` text format: one row per line, fields separated
//! by tabs, `\N` for NULL, and backslash escapes for a backslash, tab, newline, carriage
//! return, backspace, form feed and vertical tab inside a value (the escapes COPY writes).

use futures_util::{Stream, StreamExt};

/// The lines of a COPY stream, whatever the sizes of the chunks it arrives in.
pub(crate) struct Lines<S> {
    stream: S,
    buf: Vec<u8>,
    /// Where the next line starts in `buf`.
    start: usize,
}

impl<S, B> Lines<S>
where
    S: Stream<Item = sqlx::Result<B>> + Unpin,
    B: AsRef<[u8]>,
{
    pub fn new(stream: S) -> Self {
        Lines {
            stream,
            buf: Vec::with_capacity(1 << 16),
            start: 0,
        }
    }

    /// The next line, without its newline; `None` at the end of the data.
    pub async fn next_line(&mut self) -> anyhow::Result<Option<&[u8]>> {
        loop {
            if let Some(len) = self.buf[self.start..].iter().position(|&b| b == b'\n') {
                let line = self.start..self.start + len;
                self.start += len + 1;
                return Ok(Some(&self.buf[line]));
            }
            match self.stream.next().await {
                Some(chunk) => {
                    // Keep the unfinished line, then append the new chunk.
                    self.buf.drain(..self.start);
                    self.start = 0;
                    self.buf.extend_from_slice(chunk?.as_ref());
                }
                None if self.start < self.buf.len() => anyhow::bail!("COPY data ends inside a line"),
                None => return Ok(None),
            }
        }
    }
}

/// The fields of one line, read left to right.
pub(crate) struct Fields<'a> {
    rest: Option<&'a [u8]>,
}

impl<'a> Fields<'a> {
    pub fn new(line: &'a [u8]) -> Self {
        Fields { rest: Some(line) }
    }

    /// The next raw field; `None` for NULL.
    fn raw(&mut self) -> anyhow::Result<Option<&'a [u8]>> {
        let rest = self.rest.ok_or_else(|| anyhow::anyhow!("COPY: a line has too few fields"))?;
        let field = match rest.iter().position(|&b| b == b'\t') {
            Some(tab) => {
                self.rest = Some(&rest[tab + 1..]);
                &rest[..tab]
            }
            None => {
                self.rest = None;
                rest
            }
        };
        Ok((field != b"\\N").then_some(field))
    }

    /// The next field as text (a NOT NULL column).
    pub fn text(&mut self) -> anyhow::Result<String> {
        let raw = self.raw()?.ok_or_else(|| anyhow::anyhow!("COPY: unexpected NULL"))?;
        let bytes = if raw.contains(&b'\\') { unescape(raw) } else { raw.to_vec() };
        Ok(String::from_utf8(bytes)?)
    }

    /// The next field as an integer; `None` for NULL.
    pub fn int(&mut self) -> anyhow::Result<Option<i64>> {
        let Some(raw) = self.raw()? else {
            return Ok(None);
        };
        Ok(Some(std::str::from_utf8(raw)?.parse()?))
    }
}

/// Undoes COPY's backslash escapes.
fn unescape(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut bytes = raw.iter().copied();
    while let Some(b) = bytes.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        match bytes.next() {
            Some(b'n') => out.push(b'\n'),
            Some(b'r') => out.push(b'\r'),
            Some(b't') => out.push(b'\t'),
            Some(b'b') => out.push(0x08),
            Some(b'f') => out.push(0x0c),
            Some(b'v') => out.push(0x0b),
            Some(other) => out.push(other),
            None => out.push(b'\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_nulls_and_escapes() {
        let mut f = Fields::new(b"vk\tacc\\tone\\\\two\\n\t\\N\t42\t-7");
        assert_eq!(f.text().unwrap(), "vk");
        assert_eq!(f.text().unwrap(), "acc\tone\\two\n");
        assert_eq!(f.int().unwrap(), None);
        assert_eq!(f.int().unwrap(), Some(42));
        assert_eq!(f.int().unwrap(), Some(-7));
        assert!(f.int().is_err(), "no sixth field");
    }

    #[tokio::test]
    async fn lines_across_chunks() {
        let chunks: Vec<sqlx::Result<Vec<u8>>> = vec![Ok(b"a\tb\nc".to_vec()), Ok(b"d\n\ne\n".to_vec())];
        let mut lines = Lines::new(futures_util::stream::iter(chunks));
        let mut seen = Vec::new();
        while let Some(line) = lines.next_line().await.unwrap() {
            seen.push(String::from_utf8(line.to_vec()).unwrap());
        }
        assert_eq!(seen, ["a\tb", "cd", "", "e"]);
    }
}
