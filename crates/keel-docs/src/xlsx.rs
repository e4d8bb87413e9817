//! The document as an XLSX workbook: one sheet per section, its tables with the numbers as
//! numbers (formats from [`NumberFormat::excel`]), days as dates, undefined figures as empty
//! cells. Paragraphs become text rows; charts are left out (the tables hold their figures).

use crate::{Block, Cell, Document, Table};
use rust_xlsxwriter::{Color, ExcelDateTime, Format, Workbook, Worksheet};

/// A valid, unique sheet name: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(wanted: &str, taken: &mut Vec<String>) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .collect();
    let clean = clean.trim_matches('\'').trim();
    let base: String = clean.chars().take(28).collect();
    let base = if base.is_empty() { "Sheet".to_owned() } else { base };
    let mut name = base.clone();
    let mut n = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
        name = format!("{base} {n}");
        n += 1;
    }
    taken.push(name.clone());
    name
}

/// The document as XLSX bytes.
pub fn render(doc: &Document) -> anyhow::Result<Vec<u8>> {
    let mut book = Workbook::new();
    let [r, g, b] = doc.brand.accent;
    let accent = Color::RGB((u32::from(r) << 16) | (u32::from(g) << 8) | u32::from(b));
    let title = Format::new().set_bold().set_font_size(14).set_font_color(accent);
    let header = Format::new().set_bold().set_background_color(Color::RGB(0xEEF1F4));
    let mut taken = Vec::new();
    for section in &doc.sections {
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name(&section.sheet, &mut taken))?;
        sheet.write_string_with_format(0, 0, &section.title, &title)?;
        sheet.write_string(1, 0, format!("{} · {} · {}", doc.title, doc.subtitle, doc.brand.name))?;
        let mut row: u32 = 3;
        let mut widths: Vec<f64> = Vec::new();
        for block in &section.blocks {
            match block {
                Block::Paragraph(text) | Block::Note(text) => {
                    sheet.write_string(row, 0, text)?;
                    row += 1;
                }
                Block::Table(table) => {
                    row = write_table(sheet, table, row, &header, &mut widths)? + 1;
                }
                Block::Chart(_) | Block::Pictures(_) => {}
            }
        }
        for (col, w) in widths.iter().enumerate() {
            sheet.set_column_width(col as u16, w.clamp(8.0, 60.0))?;
        }
    }
    if doc.sections.is_empty() {
        book.add_worksheet().write_string(0, 0, &doc.title)?;
    }
    Ok(book.save_to_buffer()?)
}

/// Writes `table` from `row`; returns the row after it.
fn write_table(
    sheet: &mut Worksheet,
    table: &Table,
    mut row: u32,
    header: &Format,
    widths: &mut Vec<f64>,
) -> anyhow::Result<u32> {
    let mut widen = |col: usize, chars: usize| {
        if widths.len() <= col {
            widths.resize(col + 1, 0.0);
        }
        widths[col] = widths[col].max(chars as f64 + 2.0);
    };
    for (col, c) in table.columns.iter().enumerate() {
        sheet.write_string_with_format(row, col as u16, &c.title, header)?;
        widen(col, c.title.chars().count());
    }
    row += 1;
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for cells in &table.rows {
        for (col, cell) in cells.iter().enumerate() {
            let c = col as u16;
            match cell {
                Cell::Text(s) => {
                    sheet.write_string(row, c, s)?;
                    widen(col, s.chars().count());
                }
                Cell::Number { value, shown, format } => {
                    if value.is_finite() {
                        sheet.write_number_with_format(
                            row,
                            c,
                            *value,
                            &Format::new().set_num_format(format.excel()),
                        )?;
                    }
                    widen(col, shown.chars().count());
                }
                Cell::Date { ymd: (y, m, d), .. } => {
                    sheet.write_datetime_with_format(row, c, ExcelDateTime::from_ymd(*y, *m, *d)?, &date)?;
                    widen(col, 10);
                }
                Cell::Undefined => {}
            }
        }
        row += 1;
    }
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut taken = Vec::new();
        assert_eq!(sheet_name("Ads: per campaign", &mut taken), "Ads- per campaign");
        assert_eq!(sheet_name("ads- per campaign", &mut taken), "ads- per campaign 2");
        let long = sheet_name("Воронка по зонам ответственности и базовые уровни", &mut taken);
        assert!(long.chars().count() <= 31);
    }
}
