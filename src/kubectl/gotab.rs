//! Go's `text/tabwriter` exactly (column blocks and all), for `kubectl describe`, which writes
//! tab-separated text through `tabwriter.NewWriter(out, 0, 8, 2, ' ', 0)`. A line with fewer
//! cells ends a column block, so sections of a description align on their own.

use unicode_width::UnicodeWidthStr;

/// Lay out tab-separated `text` (cells end with `\t`, lines with `\n`).
pub fn format(text: &str, min_width: usize, padding: usize) -> String {
    let lines: Vec<Vec<&str>> = text.split_terminator('\n').map(|l| l.split('\t').collect()).collect();
    let mut out = String::new();
    let mut widths = Vec::new();
    format_block(&lines, 0, lines.len(), &mut widths, min_width, padding, &mut out);
    out
}

fn format_block(
    lines: &[Vec<&str>],
    line0: usize,
    line1: usize,
    widths: &mut Vec<usize>,
    min: usize,
    pad: usize,
    out: &mut String,
) {
    let column = widths.len();
    let mut start = line0;
    let mut this = line0;
    while this < line1 {
        if column + 1 >= lines[this].len() {
            this += 1;
            continue;
        }
        write_lines(lines, start, this, widths, out);
        start = this;
        let mut width = min;
        while this < line1 && column + 1 < lines[this].len() {
            width = width.max(lines[this][column].width() + pad);
            this += 1;
        }
        widths.push(width);
        format_block(lines, start, this, widths, min, pad, out);
        widths.pop();
        start = this;
    }
    write_lines(lines, start, line1, widths, out);
}

fn write_lines(lines: &[Vec<&str>], from: usize, to: usize, widths: &[usize], out: &mut String) {
    for line in &lines[from..to] {
        for (j, cell) in line.iter().enumerate() {
            out.push_str(cell);
            if j + 1 < line.len() {
                if let Some(w) = widths.get(j) {
                    out.push_str(&" ".repeat(w.saturating_sub(cell.width())));
                }
            }
        }
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_align_separately() {
        let t = "Name:\tweb\nNamespace:\tdefault\nPod Template:\n  Labels:\tapp=web\n  Containers:\n   web:\n    Image:\tnginx\n";
        assert_eq!(
            format(t, 0, 2),
            "Name:       web\nNamespace:  default\nPod Template:\n  Labels:  app=web\n  Containers:\n   web:\n    Image:  nginx\n"
        );
        assert_eq!(
            format("  Type\tReason\tAge\n  ----\t------\t---\n  Normal\tScaled\t5s\n", 0, 2),
            "  Type    Reason  Age\n  ----    ------  ---\n  Normal  Scaled  5s\n"
        );
    }
}
