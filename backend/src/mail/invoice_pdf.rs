//! An issued invoice as a PDF, for the mail after check-out: the hotel, the invoice's number
//! and date, who it is issued to, every line as issued and the totals, in the guest's
//! language, on as many A4 pages as the lines need.
//!
//! Written with pdf-writer in Helvetica, one of the fonts every PDF reader has, so nothing is
//! embedded (a few KB per invoice); text is in WinAnsi encoding, which holds the letters of
//! English and German and the euro sign. A character outside it prints as `?`.

use hotel_shared::folio::{BillLine, Invoice, LineKind};
use hotel_shared::staff::HotelDetails;
use hotel_shared::words::{date, money};
use hotel_shared::{Date, Language};
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use super::line_words::percent_text;

const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
const LEFT: f32 = 56.0;
const RIGHT: f32 = PAGE_WIDTH - 56.0;
const TOP: f32 = PAGE_HEIGHT - 64.0;
const BOTTOM: f32 = 72.0;
const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");

/// What the PDF of one invoice shows.
pub struct InvoiceSheet<'a> {
    pub language: Language,
    pub hotel: &'a HotelDetails,
    pub invoice: &'a Invoice,
    pub lines: &'a [BillLine],
    pub reference: &'a str,
    /// Arrival and departure.
    pub stay: Option<(Date, Date)>,
    pub currency: &'a str,
}

impl InvoiceSheet<'_> {
    fn pick(&self, en: &'static str, de: &'static str) -> &'static str {
        match self.language {
            Language::De => de,
            Language::En => en,
        }
    }

    fn amount(&self, minor: i64) -> String {
        money(self.language, minor, self.currency)
    }

    /// Net, tax and gross per tax rate, as the law asks of an invoice.
    fn tax_block(&self, pages: &mut Pages) {
        let totals = hotel_shared::folio::tax_totals(self.lines);
        if totals.is_empty() {
            return;
        }
        pages.gap(14.0);
        let at = [LEFT, RIGHT - 250.0, RIGHT - 170.0];
        pages.starts_page(14.0 * (totals.len() + 1) as f32);
        pages.row(
            BOLD,
            10.0,
            &[
                (at[0], self.pick("VAT rate", "Steuersatz")),
                (at[1], self.pick("Net", "Netto")),
                (at[2], self.pick("VAT", "USt.")),
            ],
            self.pick("Gross", "Brutto"),
        );
        for t in totals {
            let rate = format!(
                "{} {} %",
                t.tax_rate_name,
                percent_text(self.language, t.tax_rate)
            );
            let (net, tax) = (self.amount(t.net), self.amount(t.tax));
            pages.row(
                REGULAR,
                10.0,
                &[(at[0], &rate), (at[1], &net), (at[2], &tax)],
                &self.amount(t.gross),
            );
        }
    }

    /// The PDF file.
    pub fn render(&self) -> Vec<u8> {
        let mut pages = Pages::new();
        let hotel = self.hotel;
        // The hotel as the invoice was issued by it; an invoice from before that was kept
        // names the hotel as it is now.
        let supplier = self
            .invoice
            .supplier
            .clone()
            .unwrap_or_else(|| crate::domain::hotel::supplier(hotel));
        pages.line(BOLD, 16.0, LEFT, &supplier.legal_name);
        for line in supplier.address.lines().filter(|l| !l.trim().is_empty()) {
            pages.line(REGULAR, 10.0, LEFT, line.trim());
        }
        let contact: Vec<&str> = [hotel.phone.as_str(), hotel.email.as_str()]
            .into_iter()
            .filter(|s| !s.trim().is_empty())
            .collect();
        if !contact.is_empty() {
            pages.line(REGULAR, 10.0, LEFT, &contact.join(" · "));
        }
        let numbers = [
            (
                self.pick("Tax number", "Steuernummer"),
                &supplier.tax_number,
            ),
            (self.pick("VAT ID", "USt-IdNr."), &supplier.vat_id),
        ];
        for (label, number) in numbers {
            if !number.is_empty() {
                pages.line(REGULAR, 10.0, LEFT, &format!("{label}: {number}"));
            }
        }
        pages.gap(24.0);
        if let Some(recipient) = &self.invoice.recipient {
            for line in recipient.lines().filter(|l| !l.trim().is_empty()) {
                pages.line(REGULAR, 11.0, LEFT, line.trim());
            }
            if let Some(vat_id) = &self.invoice.recipient_vat_id {
                let label = self.pick("VAT ID", "USt-IdNr.");
                pages.line(REGULAR, 11.0, LEFT, &format!("{label}: {vat_id}"));
            }
            pages.gap(18.0);
        }
        pages.line(
            BOLD,
            14.0,
            LEFT,
            &format!(
                "{} {}",
                if self.invoice.cancels.is_some() {
                    self.pick("Cancellation invoice", "Stornorechnung")
                } else {
                    self.pick("Invoice", "Rechnung")
                },
                self.invoice.number
            ),
        );
        pages.gap(4.0);
        let mut facts = vec![
            (
                self.pick("Invoice number", "Rechnungsnummer"),
                self.invoice.number.clone(),
            ),
            (
                self.pick("Date of issue", "Rechnungsdatum"),
                date(self.language, self.invoice.issued_on),
            ),
            (
                self.pick("Booking reference", "Buchungsnummer"),
                self.reference.to_string(),
            ),
        ];
        if let Some(original) = &self.invoice.cancels {
            facts.push((
                self.pick("Cancels invoice", "Storno zu Rechnung"),
                original.clone(),
            ));
        }
        if let Some((arrival, departure)) = self.stay {
            facts.push((
                self.pick("Stay", "Aufenthalt"),
                format!(
                    "{} – {}",
                    date(self.language, arrival),
                    date(self.language, departure)
                ),
            ));
        }
        for (label, value) in facts {
            pages.pair(10.0, LEFT, label, LEFT + 120.0, &value);
        }
        pages.gap(16.0);

        let columns = [LEFT, LEFT + 70.0, RIGHT - 170.0, RIGHT - 120.0];
        let header = |pages: &mut Pages| {
            pages.row(
                BOLD,
                10.0,
                &[
                    (columns[0], self.pick("Date", "Datum")),
                    (columns[1], self.pick("Description", "Leistung")),
                    (columns[2], self.pick("Quantity", "Menge")),
                    (columns[3], self.pick("VAT", "USt.")),
                ],
                self.pick("Amount", "Betrag"),
            );
            pages.rule();
        };
        header(&mut pages);
        let (mut charges, mut paid) = (0_i64, 0_i64);
        for l in self.lines {
            match l.kind {
                LineKind::Room | LineKind::Charge | LineKind::Discount => charges += l.amount,
                LineKind::Payment | LineKind::Refund => paid -= l.amount,
                LineKind::Note => {}
            }
            let amount = match l.kind {
                LineKind::Note => String::new(),
                _ => self.amount(l.amount),
            };
            let day = short_date(self.language, l.date);
            let quantity = match l.kind {
                LineKind::Room | LineKind::Charge => l.quantity.to_string(),
                _ => String::new(),
            };
            let vat = l
                .tax
                .as_ref()
                .map(|t| format!("{} %", percent_text(self.language, t.tax_rate)))
                .unwrap_or_default();
            let said = super::line_words::describe(l, self.language, self.currency);
            let mut description = wrap(&said, columns[2] - columns[1] - 12.0, 10.0);
            if description.is_empty() {
                description.push(String::new());
            }
            if pages.starts_page(14.0 * description.len() as f32) {
                header(&mut pages);
            }
            for (i, words) in description.iter().enumerate() {
                let first = i == 0;
                pages.row(
                    REGULAR,
                    10.0,
                    &[
                        (columns[0], if first { day.as_str() } else { "" }),
                        (columns[1], words),
                        (columns[2], if first { quantity.as_str() } else { "" }),
                        (columns[3], if first { vat.as_str() } else { "" }),
                    ],
                    if first { &amount } else { "" },
                );
            }
        }
        pages.rule();
        let totals = [
            (self.pick("Total", "Gesamtbetrag"), charges),
            (self.pick("Paid", "Bezahlt"), paid),
            (self.pick("Balance due", "Offener Betrag"), charges - paid),
        ];
        pages.starts_page(14.0 * totals.len() as f32);
        for (label, value) in totals {
            pages.row(BOLD, 10.0, &[(columns[1], label)], &self.amount(value));
        }
        self.tax_block(&mut pages);
        pages.gap(24.0);
        pages.line(
            REGULAR,
            10.0,
            LEFT,
            self.pick(
                "Thank you for staying with us.",
                "Vielen Dank für Ihren Aufenthalt.",
            ),
        );
        let title = format!(
            "{} {} · {}",
            self.pick("Invoice", "Rechnung"),
            self.invoice.number,
            hotel.name
        );
        let (invoice, page, of) = (
            self.pick("Invoice", "Rechnung"),
            self.pick("page", "Seite"),
            self.pick("of", "von"),
        );
        let number = &self.invoice.number;
        pages.finish(&title, &|i, n| {
            format!("{invoice} {number} · {page} {i} {of} {n}")
        })
    }
}

/// The pages laid out so far, top to bottom.
struct Pages {
    done: Vec<Content>,
    current: Content,
    y: f32,
}

impl Pages {
    fn new() -> Pages {
        Pages {
            done: Vec::new(),
            current: Content::new(),
            y: TOP,
        }
    }

    /// Starts a new page unless `height` more fits on this one; says whether it did.
    fn starts_page(&mut self, height: f32) -> bool {
        if self.y - height >= BOTTOM {
            return false;
        }
        let full = std::mem::replace(&mut self.current, Content::new());
        self.done.push(full);
        self.y = TOP;
        true
    }

    fn gap(&mut self, height: f32) {
        self.y -= height;
    }

    fn text(&mut self, font: Name<'_>, size: f32, x: f32, words: &str) {
        if words.is_empty() {
            return;
        }
        let bytes = win_ansi(words);
        self.current
            .begin_text()
            .set_font(font, size)
            .next_line(x, self.y)
            .show(Str(&bytes))
            .end_text();
    }

    /// One line of text at `x`.
    fn line(&mut self, font: Name<'_>, size: f32, x: f32, words: &str) {
        self.starts_page(size * 1.4);
        self.y -= size * 1.4;
        self.text(font, size, x, words);
    }

    /// A label in bold and its value.
    fn pair(&mut self, size: f32, x: f32, label: &str, value_x: f32, value: &str) {
        self.starts_page(size * 1.4);
        self.y -= size * 1.4;
        self.text(BOLD, size, x, label);
        self.text(REGULAR, size, value_x, value);
    }

    /// A table row: cells at their x, and an amount set flush right.
    fn row(&mut self, font: Name<'_>, size: f32, cells: &[(f32, &str)], amount: &str) {
        self.starts_page(size * 1.4);
        self.y -= size * 1.4;
        for (x, words) in cells {
            self.text(font, size, *x, words);
        }
        let width = text_width(amount, size);
        self.text(font, size, RIGHT - width, amount);
    }

    /// A thin line across the table.
    fn rule(&mut self) {
        self.y -= 4.0;
        self.current
            .set_line_width(0.5)
            .move_to(LEFT, self.y)
            .line_to(RIGHT, self.y)
            .stroke();
    }

    /// The PDF, each page with `footer(page, pages)` at its foot.
    fn finish(mut self, title: &str, footer: &dyn Fn(usize, usize) -> String) -> Vec<u8> {
        let last = std::mem::replace(&mut self.current, Content::new());
        self.done.push(last);
        let count = self.done.len();
        for (i, content) in self.done.iter_mut().enumerate() {
            let words = win_ansi(&footer(i + 1, count));
            content
                .begin_text()
                .set_font(REGULAR, 8.0)
                .next_line(LEFT, BOTTOM - 32.0)
                .show(Str(&words))
                .end_text();
        }
        let mut pdf = Pdf::new();
        let catalog = Ref::new(1);
        let tree = Ref::new(2);
        let regular = Ref::new(3);
        let bold = Ref::new(4);
        let info = Ref::new(5);
        let first_page = 6;
        let page_refs: Vec<Ref> = (0..self.done.len())
            .map(|i| Ref::new(first_page + 2 * i as i32))
            .collect();
        pdf.catalog(catalog).pages(tree);
        pdf.pages(tree)
            .kids(page_refs.iter().copied())
            .count(page_refs.len() as i32);
        for (content, page_ref) in self.done.into_iter().zip(&page_refs) {
            let content_ref = Ref::new(page_ref.get() + 1);
            let mut page = pdf.page(*page_ref);
            page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
                .parent(tree)
                .contents(content_ref);
            page.resources()
                .fonts()
                .pair(REGULAR, regular)
                .pair(BOLD, bold);
            page.finish();
            pdf.stream(content_ref, &content.finish());
        }
        for (font, name) in [(regular, "Helvetica"), (bold, "Helvetica-Bold")] {
            pdf.type1_font(font)
                .base_font(Name(name.as_bytes()))
                .encoding_predefined(Name(b"WinAnsiEncoding"));
        }
        pdf.document_info(info).title(TextStr(title));
        pdf.finish()
    }
}

/// A day as an invoice's table gives it: "7 Dec 2026", "07.12.2026".
fn short_date(language: Language, day: Date) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    match language {
        Language::De => format!("{:02}.{:02}.{}", day.day(), day.month(), day.year()),
        Language::En => format!(
            "{} {} {}",
            day.day(),
            MONTHS[(day.month() as usize).saturating_sub(1).min(11)],
            day.year()
        ),
    }
}

/// `text` in WinAnsi (Windows-1252) bytes: Latin-1 as it is, the euro sign and typographic
/// dashes and quotes at their places, anything else `?`.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            ' '..='~' => c as u8,
            '\u{a0}'..='\u{ff}' => c as u32 as u8,
            '€' => 0x80,
            '…' => 0x85,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            '−' => b'-',
            '\t' | '\n' | '\r' => b' ',
            _ => b'?',
        })
        .collect()
}

/// About how wide `text` is in Helvetica at `size` points: exact for the digits, signs and
/// spaces an amount is made of, an average for letters.
fn text_width(text: &str, size: f32) -> f32 {
    let units: u32 = text
        .chars()
        .map(|c| match c {
            '0'..='9' | '€' | '$' => 556,
            ' ' | '\u{a0}' | ',' | '.' => 278,
            '-' | '−' => 333,
            'I' => 278,
            'A'..='Z' => 667,
            'i' | 'j' | 'l' => 222,
            'f' | 't' => 278,
            'm' | 'w' => 833,
            _ => 556,
        })
        .sum();
    units as f32 * size / 1000.0
}

/// `text` in lines no wider than `width` points, broken between words (a word longer than a
/// line is broken where it must be).
fn wrap(text: &str, width: f32, size: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if text_width(&candidate, size) <= width {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        let mut piece = String::new();
        for c in word.chars() {
            piece.push(c);
            if text_width(&piece, size) > width {
                piece.pop();
                lines.push(std::mem::take(&mut piece));
                piece.push(c);
            }
        }
        line = piece;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn german_letters_and_the_euro_sign_are_win_ansi() {
        assert_eq!(win_ansi("Grüße 5 €"), b"Gr\xfc\xdfe 5 \x80".to_vec());
        assert_eq!(win_ansi("a\u{2212}b\u{4e00}"), b"a-b?".to_vec());
    }

    #[test]
    fn long_descriptions_wrap_between_words() {
        let lines = wrap(
            "Room 12 · Double with a view of the lake and the hills",
            120.0,
            10.0,
        );
        assert!(lines.len() > 1, "{lines:?}");
        assert!(
            lines.iter().all(|l| text_width(l, 10.0) <= 120.0),
            "{lines:?}"
        );
        assert_eq!(
            lines.join(" "),
            "Room 12 · Double with a view of the lake and the hills"
        );
        let unbroken = wrap(&"x".repeat(100), 50.0, 10.0);
        assert!(unbroken.len() > 1 && unbroken.concat() == "x".repeat(100));
    }
}
