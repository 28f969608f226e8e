//! Money: amounts written in plans (`$2,400`, `€12.5k`, `5,000 EUR`,
//! `3.000 USD`, `250 000 € HT`, `-$9,000`, `1 BTC`) read into integer minor
//! units plus an ISO 4217 currency or a crypto-currency ticker (`BTC`,
//! `ETH`, `DOT`, …; see [`Currency::is_token`]). Sums never go through
//! floating point.
//!
//! Amounts and sums are bounded: `MAX_MAJOR` (10^15, a thousand trillion,
//! in major units) is the largest amount read or added up. An amount
//! written beyond it is not read as money (`oversized` finds it, so that
//! the reader can warn at it), and `checked_add`, `checked_sub` and
//! `checked_sum` give nothing for a result beyond it: a figure is left out
//! rather than shown wrapped or clamped.

use regex::Regex;
use serde::{Serialize, Serializer};
use std::fmt;
use std::sync::LazyLock;

/// An ISO 4217 currency code, such as `USD`, or the ticker of a
/// crypto-currency that grants are paid in, such as `BTC`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

impl Currency {
    pub const USD: Currency = Currency(*b"USD");

    /// Accepts a three-letter upper-case code from the known list.
    pub fn from_code(code: &str) -> Option<Currency> {
        let upper = code.trim().to_ascii_uppercase();
        if !KNOWN_CODES.contains(&upper.as_str()) && !TOKEN_CODES.contains(&upper.as_str()) {
            return None;
        }
        let bytes = upper.as_bytes();
        Some(Currency([bytes[0], bytes[1], bytes[2]]))
    }

    pub fn code(&self) -> &str {
        // The bytes always come from KNOWN_CODES, which are ASCII.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }

    /// Digits after the decimal point in this currency's minor unit.
    pub fn exponent(&self) -> u32 {
        // The code's bytes, as `code` gives them (no other bytes spell
        // these codes).
        match &self.0 {
            b"JPY" | b"KRW" | b"ISK" | b"CLP" | b"VND" => 0,
            _ => 2,
        }
    }

    /// A crypto-currency ticker rather than an ISO 4217 code. Its amounts
    /// are kept to two decimals like most currencies; one written finer
    /// (`0.005 BTC`) is not read rather than rounded.
    pub fn is_token(&self) -> bool {
        TOKEN_CODES.contains(&self.code())
    }

    fn uses_dollar_sign(&self) -> bool {
        matches!(
            self.code(),
            "USD" | "CAD" | "AUD" | "NZD" | "SGD" | "HKD" | "MXN"
        )
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

const KNOWN_CODES: &[&str] = &[
    "USD", "EUR", "GBP", "JPY", "CNY", "CHF", "CAD", "AUD", "NZD", "INR", "BRL", "MXN", "SEK",
    "NOK", "DKK", "PLN", "CZK", "HUF", "KRW", "SGD", "HKD", "ZAR", "TRY", "ILS", "AED", "SAR",
    "ISK", "CLP", "VND", "RON", "BGN", "UAH", "ARS", "COP", "PEN", "THB", "IDR", "MYR", "PHP",
    "TWD", "NGN", "KES", "EGP",
];

/// Crypto-currency tickers that plans (grant proposals above all) state
/// amounts in: `Costs: 1 BTC`, `10,000 DOT`. Only tickers that are not
/// also common words or abbreviations in plans.
const TOKEN_CODES: &[&str] = &["BTC", "ETH", "DOT", "KSM", "FIL", "XMR", "LTC"];

/// An amount of money in minor units (cents) of one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

/// The largest amount, in major units, that plansite reads or adds up:
/// 10^15 (a thousand trillion dollars, euros or yen). Within it, minor
/// units (at most 10^17) and the sum or difference of two amounts fit an
/// `i64` with room to spare.
pub const MAX_MAJOR: i64 = 1_000_000_000_000_000;

/// `MAX_MAJOR` in words, for warnings.
pub const BOUND_TEXT: &str = "10^15";

/// The warning for an amount written beyond `MAX_MAJOR`.
pub fn oversized_message(written: &str) -> String {
    format!(
        "`{written}` is beyond {BOUND_TEXT} in major units, the largest amount plansite reads: it is left out"
    )
}

/// Why amounts could not be added up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SumError {
    /// Amounts in more than one currency (never added up).
    MixedCurrencies,
    /// The running total went beyond `MAX_MAJOR` at this amount (0-based).
    TooLarge { at: usize },
}

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Money {
        Money { minor, currency }
    }

    /// The largest amount in minor units of `currency` (`MAX_MAJOR`).
    pub fn max_minor(currency: Currency) -> i64 {
        MAX_MAJOR * 10i64.pow(currency.exponent())
    }

    /// An amount, when within `MAX_MAJOR` either side of zero.
    pub fn bounded(minor: i128, currency: Currency) -> Option<Money> {
        (minor.unsigned_abs() <= Money::max_minor(currency).unsigned_abs() as u128)
            .then(|| Money::new(minor as i64, currency))
    }

    /// The sum, when both are in one currency and it is within the bound.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        (self.currency == other.currency)
            .then(|| {
                Money::bounded(
                    i128::from(self.minor) + i128::from(other.minor),
                    self.currency,
                )
            })
            .flatten()
    }

    /// The difference, when both are in one currency and it is within the
    /// bound.
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        (self.currency == other.currency)
            .then(|| {
                Money::bounded(
                    i128::from(self.minor) - i128::from(other.minor),
                    self.currency,
                )
            })
            .flatten()
    }

    /// The amount with its sign turned.
    pub fn negated(self) -> Money {
        // Amounts are read within the bound, so this cannot overflow; the
        // saturation only guards a hand-made `i64::MIN`.
        Money::new(self.minor.saturating_neg(), self.currency)
    }

    /// The amount in major units, for JSON and charts (never for sums).
    pub fn major(&self) -> f64 {
        self.minor as f64 / 10f64.powi(self.currency.exponent() as i32)
    }

    /// A JSON number in major units: `2400` or `2400.5`.
    pub fn json_number(&self) -> serde_json::Value {
        let scale = 10i64.pow(self.currency.exponent());
        if self.minor % scale == 0 {
            serde_json::Value::from(self.minor / scale)
        } else {
            serde_json::Number::from_f64(self.major())
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null)
        }
    }

    /// Human form with sign, symbol and grouping: `$50,400`, `-€1,250.50`.
    pub fn display(&self) -> String {
        // Written straight into one string: this runs for every amount a
        // page or chart shows.
        let exponent = self.currency.exponent();
        let scale = 10u64.pow(exponent);
        let abs = self.minor.unsigned_abs();
        let (whole, frac) = (abs / scale, abs % scale);
        let symbol = symbol_for(self.currency);
        let mut out = String::with_capacity(32);
        if self.minor < 0 {
            out.push('-');
        }
        out.push_str(symbol.unwrap_or(""));
        // The whole part grouped in thousands (as `text::thousands`).
        let mut buffer = itoa::Buffer::new();
        let digits = buffer.format(whole);
        for (i, c) in digits.char_indices() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        if frac != 0 {
            out.push('.');
            let frac = buffer.format(frac);
            for _ in frac.len()..exponent as usize {
                out.push('0');
            }
            out.push_str(frac);
        }
        if symbol.is_none() {
            out.push(' ');
            out.push_str(self.currency.code());
        }
        out
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

fn symbol_for(currency: Currency) -> Option<&'static str> {
    match &currency.0 {
        b"USD" => Some("$"),
        b"EUR" => Some("€"),
        b"GBP" => Some("£"),
        b"JPY" => Some("¥"),
        b"INR" => Some("₹"),
        _ => None,
    }
}

/// Amounts in one currency added up: `Ok(None)` for none, an error for
/// several currencies or a total beyond `MAX_MAJOR`.
pub fn checked_sum(amounts: impl IntoIterator<Item = Money>) -> Result<Option<Money>, SumError> {
    let mut total: Option<Money> = None;
    for (at, m) in amounts.into_iter().enumerate() {
        total = Some(match total {
            None => {
                Money::bounded(i128::from(m.minor), m.currency).ok_or(SumError::TooLarge { at })?
            }
            Some(sum) if sum.currency != m.currency => return Err(SumError::MixedCurrencies),
            Some(sum) => sum.checked_add(m).ok_or(SumError::TooLarge { at })?,
        });
    }
    Ok(total)
}

/// Amounts added up per currency, in the order each currency first
/// appears: never converted, never summed across currencies. A currency
/// whose total goes beyond `MAX_MAJOR` is left out.
pub fn totals_by_currency(amounts: impl IntoIterator<Item = Money>) -> Vec<Money> {
    let mut totals: Vec<(Currency, Option<Money>)> = Vec::new();
    for m in amounts {
        match totals.iter_mut().find(|(c, _)| *c == m.currency) {
            Some((_, total)) => *total = total.and_then(|t| t.checked_add(m)),
            None => totals.push((m.currency, Money::bounded(i128::from(m.minor), m.currency))),
        }
    }
    totals.into_iter().filter_map(|(_, total)| total).collect()
}

/// A money amount found in text, with where it stood (byte range).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub money: Money,
    pub start: usize,
    pub end: usize,
}

const NUMBER: &str =
    r"\d{1,3}(?:[,.'\x{2019}\x{a0}\x{202f}\x20]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?";
const SCALE: &str = r"(?:\s?(?:[kK]|[mM]n?|bn|[bB]|thousand|million|billion)(?-u:\b))?";

// Word boundaries are ASCII ones (they follow ASCII letters): on a
// Unicode boundary the fast engine gives up in any line with a non-ASCII
// character (`✅`, `€`), and the slow one then reads the line.
static MONEY: LazyLock<Regex> = LazyLock::new(|| {
    let pattern = format!(
        r"(?x)
        (?P<sign>[+\-−])?
        (?:
            (?P<sym>US\$|CA\$|A\$|NZ\$|R\$|\$|€|£|¥|₹)\s?(?P<n1>{NUMBER})(?P<s1>{SCALE})
                (?:\s?(?P<c1>[A-Z]{{3}})(?-u:\b))?
          | (?-u:\b)(?P<cpre>[A-Z]{{3}})\s?(?P<n2>{NUMBER})(?P<s2>{SCALE})
          | (?P<n3>{NUMBER})(?P<s3>{SCALE})\s?(?:(?P<ssuf>€|£|\$)|(?P<csuf>[A-Z]{{3}})(?-u:\b))
        )"
    );
    Regex::new(&pattern).expect("the money pattern is a valid regex")
});

/// The groups of `MONEY`, by index.
struct MoneyGroups {
    sign: usize,
    sym: usize,
    n1: usize,
    s1: usize,
    c1: usize,
    cpre: usize,
    n2: usize,
    s2: usize,
    n3: usize,
    s3: usize,
    ssuf: usize,
    csuf: usize,
}

static MONEY_GROUPS: LazyLock<MoneyGroups> = LazyLock::new(|| {
    let at = |name: &str| super::group_index(&MONEY, name);
    MoneyGroups {
        sign: at("sign"),
        sym: at("sym"),
        n1: at("n1"),
        s1: at("s1"),
        c1: at("c1"),
        cpre: at("cpre"),
        n2: at("n2"),
        s2: at("s2"),
        n3: at("n3"),
        s3: at("s3"),
        ssuf: at("ssuf"),
        csuf: at("csuf"),
    }
});

/// Tax abbreviations that may follow an amount (`£13,200 VAT`,
/// `€ 500 TVA`): a note on the amount, not its currency.
const TAX_WORDS: &[&str] = &["VAT", "GST", "HST", "PST", "TVA", "IVA", "TTC"];

/// Finds every amount of money in `text`. A bare `$` means `dollar`
/// (the plan's currency when that is a dollar currency, else USD). An
/// amount beyond `MAX_MAJOR` is not read (see `oversized`).
pub fn find_all(text: &str, dollar: Currency) -> Vec<Found> {
    scan(text, dollar)
        .into_iter()
        .filter_map(|(money, start, end)| {
            Some(Found {
                money: money?,
                start,
                end,
            })
        })
        .collect()
}

/// The first amount written in `text` beyond `MAX_MAJOR`, as written.
pub fn oversized(text: &str, dollar: Currency) -> Option<&str> {
    scan(text, dollar)
        .into_iter()
        .find(|(money, _, _)| money.is_none())
        .and_then(|(_, start, end)| text.get(start..end))
}

/// Every amount written in `text` with its byte range: `None` for one
/// beyond `MAX_MAJOR`.
fn scan(text: &str, dollar: Currency) -> Vec<(Option<Money>, usize, usize)> {
    if !could_hold_money(text) {
        return Vec::new();
    }
    // A line is often read several times in a row (a fact's amount, then
    // whether it is oversized, then its stated figure): the last reading
    // of each thread is kept and handed out again for the same text.
    LAST_SCAN.with(|last| {
        let mut last = last.borrow_mut();
        if last.0 == text && last.1 == Some(dollar) {
            return last.2.clone();
        }
        let found = scan_uncached(text, dollar);
        last.0.clear();
        last.0.push_str(text);
        last.1 = Some(dollar);
        last.2.clone_from(&found);
        found
    })
}

type Scanned = Vec<(Option<Money>, usize, usize)>;

thread_local! {
    /// The last text `scan` read on this thread, its dollar and what it found.
    static LAST_SCAN: std::cell::RefCell<(String, Option<Currency>, Scanned)> =
        const { std::cell::RefCell::new((String::new(), None, Vec::new())) };
}

fn scan_uncached(text: &str, dollar: Currency) -> Scanned {
    let mut found = Vec::new();
    // A sign before a bare amount (`+$1000` in a change column) is the
    // pattern's optional `sign`, taken at the start as it takes it.
    let (sign, unsigned) = match text.chars().next() {
        Some(c @ ('+' | '-' | '−')) => (Some(c), &text[c.len_utf8()..]),
        _ => (None, text),
    };
    // The bare amount may be followed by a note in brackets that holds no
    // money (`$14000 (2 engineers)`, the commonest budget line): the
    // pattern's match then ends with the number (neither a scale nor a
    // code starts with ` (`), and nothing after it can be money.
    let bare_len = unsigned.strip_prefix('$').map_or(0, |digits| {
        1 + digits
            .bytes()
            .take_while(|&b| b.is_ascii_digit() || b == b',')
            .count()
    });
    let rest = &unsigned[bare_len..];
    let alone = rest.is_empty() || (rest.starts_with(" (") && !could_hold_money(rest));
    if let Some(number) = bare_dollars(&unsigned[..bare_len]).filter(|_| alone) {
        // What the pattern reads in such a text: the sign and the number
        // (`n1`), no scale, no code, up to the note.
        if let Some(currency) = from_symbol("$", dollar) {
            if let Some(mut minor) = to_minor(number, "", currency) {
                if matches!(sign, Some('-' | '−')) {
                    minor = -minor;
                }
                found.push((Money::bounded(minor, currency), 0, text.len() - rest.len()));
            }
        }
        return found;
    }
    scan_by_pattern(text, dollar)
}

/// Every amount the money pattern finds in `text` (see `scan`).
fn scan_by_pattern(text: &str, dollar: Currency) -> Scanned {
    let mut found = Vec::new();
    let g = &*MONEY_GROUPS;
    for caps in MONEY.captures_iter(text) {
        let whole = caps.get(0).expect("group 0 always matches");
        let sign = caps.get(g.sign).map(|m| m.as_str());
        let (number, scale, currency) = if let Some(n) = caps.get(g.n1) {
            let symbol = caps.get(g.sym).map_or("$", |m| m.as_str());
            // A code after the sign names the currency (`$ 2 BTC`: the
            // sign is noise); one we do not know makes the currency
            // ambiguous, so this is not read as money.
            let code = match caps.get(g.c1) {
                Some(code) => match Currency::from_code(code.as_str()) {
                    Some(known) => Some(known),
                    // `£13,200 VAT not included`: a tax note, not a code.
                    None if TAX_WORDS.contains(&code.as_str()) => from_symbol(symbol, dollar),
                    None => continue,
                },
                None => from_symbol(symbol, dollar),
            };
            (n.as_str(), caps.get(g.s1), code)
        } else if let Some(n) = caps.get(g.n2) {
            // A ticker before a number is a version more often than money
            // (`ETH 2.0`): tokens are read only after their amount.
            let code = caps
                .get(g.cpre)
                .and_then(|m| Currency::from_code(m.as_str()))
                .filter(|c| !c.is_token());
            (n.as_str(), caps.get(g.s2), code)
        } else if let Some(n) = caps.get(g.n3) {
            let currency = match (caps.get(g.ssuf), caps.get(g.csuf)) {
                (Some(symbol), _) => from_symbol(symbol.as_str(), dollar),
                (None, Some(code)) => Currency::from_code(code.as_str()),
                _ => None,
            };
            (n.as_str(), caps.get(g.s3), currency)
        } else {
            continue;
        };
        let Some(currency) = currency else { continue };
        let scale = scale.map_or("", |m| m.as_str().trim());
        let Some(mut minor) = to_minor(number, scale, currency) else {
            continue;
        };
        if matches!(sign, Some("-") | Some("−")) {
            minor = -minor;
        }
        found.push((Money::bounded(minor, currency), whole.start(), whole.end()));
    }
    found
}

/// The number of a text that is a dollar sign and a whole number and
/// nothing else (`$12000`, `$18,000`), the commonest amount in a table
/// cell: read without the pattern, as the pattern reads it (its first
/// alternative, a sign then a number with no scale or code after it).
/// Thousands separated by commas in groups of three only; any other text,
/// `None`.
fn bare_dollars(text: &str) -> Option<&str> {
    let number = text.strip_prefix('$')?;
    let bytes = number.as_bytes();
    let plain = !bytes.is_empty() && bytes.iter().all(u8::is_ascii_digit);
    let grouped = || {
        let mut groups = number.split(',');
        let first = groups.next().unwrap_or_default();
        (1..=3).contains(&first.len())
            && first.bytes().all(|b| b.is_ascii_digit())
            && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
    };
    (plain || grouped()).then_some(number)
}

/// Whether `text` has what every amount needs: a digit, and a currency
/// symbol or a run of three capitals (a code). Most text with digits in a
/// plan (dates, counts, percentages) has neither, and this scan is far
/// cheaper than the pattern.
fn could_hold_money(text: &str) -> bool {
    let bytes = text.as_bytes();
    if !bytes.iter().any(u8::is_ascii_digit) {
        return false;
    }
    // `$`, and the lead bytes of `€` (E2 82 AC), `₹` (E2 82 B9), `£` (C2 A3)
    // and `¥` (C2 A5): a rare false lead only costs the pattern's search.
    if bytes.iter().any(|&b| matches!(b, b'$' | 0xE2 | 0xC2)) {
        return true;
    }
    bytes
        .windows(3)
        .any(|w| w.iter().all(u8::is_ascii_uppercase))
}

/// The first amount of money in `text`.
pub fn find_first(text: &str, dollar: Currency) -> Option<Found> {
    find_all(text, dollar).into_iter().next()
}

/// The stated figure of a budget line: the amount a careful reader takes as
/// the line's total. Never a rate (`€ 75/hour`, `$400/day`, `@ € 89`,
/// `$50 per month`, `$20 each`), never an operand of a multiplication
/// (`8 hours x € 75`), never the base of a percentage (`10% of $5,000`).
/// In a worked sum (`6 weeks x 8 hours x € 75 = € 3600`, `€ 3,000 + € 600
/// = € 3,600`) it is the result, the first amount after the last `=` outside
/// brackets. An amount in a range (`$2K–$5K`) is no stated figure
/// either. `None` when every amount is one of those.
pub fn find_stated(text: &str, dollar: Currency) -> Option<Found> {
    let all = find_all(text, dollar);
    // The last `=` outside brackets: one inside a note (`$6,000 (2 x
    // $3,000 = $6,000)`) is the note's arithmetic, not the line's figure.
    let mut depth = 0usize;
    let mut result_from = 0;
    for (at, c) in text.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            '=' if depth == 0 => result_from = at,
            _ => {}
        }
    }
    let ranged = in_ranges(text, &all);
    let stated = |f: &&Found| !is_rate_or_operand(text, f) && !ranged.contains(&f.start);
    all.iter()
        .filter(|f| f.start >= result_from)
        .find(stated)
        .or_else(|| all.iter().find(stated))
        .copied()
}

/// The starts of amounts that are an end of a range (`$2K–$5K`, `$100K -
/// $200K`, `€5,000 to €8,000`): a range states no single figure.
fn in_ranges(text: &str, all: &[Found]) -> Vec<usize> {
    let mut out = Vec::new();
    for pair in all.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let gap = text.get(a.end..b.start).unwrap_or("x").trim();
        let b_signed = text
            .get(b.start..)
            .is_some_and(|t| t.starts_with(['-', '−']));
        let is_range = matches!(gap, "-" | "–" | "—" | "to" | "bis" | "à" | "a" | "até")
            || (gap.is_empty() && b_signed);
        if is_range && a.money.currency == b.money.currency {
            out.push(a.start);
            out.push(b.start);
        }
    }
    out
}

/// Whether the amount at `found` is a rate, an operand of a multiplication
/// or the base of a percentage, by the words around it.
fn is_rate_or_operand(text: &str, found: &Found) -> bool {
    let before = text[..found.start]
        .trim_end_matches(['*', '_', ' ', '\t'])
        .to_lowercase();
    let after = text[found.end..]
        .trim_start_matches(['*', '_', ' ', '\t'])
        .to_lowercase();
    const RATE_AFTER: &[&str] = &[
        "/", "per ", "an hour", "a day", "a week", "a month", "a year", "each", "hourly", "daily",
        "weekly", "monthly", "x ", "× ", "x\t", "* ",
    ];
    const OPERAND_BEFORE: &[&str] = &["@", " at", " x", "×", " *", "% of", "% de", "% von"];
    RATE_AFTER.iter().any(|w| after.starts_with(w))
        || after == "x"
        || OPERAND_BEFORE.iter().any(|w| before.ends_with(w))
}

/// The currency a bare `$` stands for, given the plan's currency.
pub fn dollar_for(plan_currency: Option<Currency>) -> Currency {
    plan_currency
        .filter(Currency::uses_dollar_sign)
        .unwrap_or(Currency::USD)
}

fn from_symbol(symbol: &str, dollar: Currency) -> Option<Currency> {
    let code = match symbol {
        "$" => return Some(dollar),
        "US$" => "USD",
        "CA$" => "CAD",
        "A$" => "AUD",
        "NZ$" => "NZD",
        "R$" => "BRL",
        "€" => "EUR",
        "£" => "GBP",
        "¥" => "JPY",
        "₹" => "INR",
        _ => return None,
    };
    Currency::from_code(code)
}

/// Turns the written number and its scale word into minor units, deciding
/// which of `,` and `.` is the decimal mark from the way the digits group.
/// A whole part too long for an `i128` is `i128::MAX`: as far beyond the
/// bound; decimals too many to hold are not read.
fn to_minor(number: &str, scale: &str, currency: Currency) -> Option<i128> {
    let spaces = |c: char| matches!(c, ' ' | '\u{a0}' | '\u{202f}');
    let number: std::borrow::Cow<'_, str> = if number.contains(spaces) {
        number
            .chars()
            .filter(|&c| !spaces(c))
            .collect::<String>()
            .into()
    } else {
        number.into()
    };
    let decimal = decimal_mark(&number, !scale.is_empty());
    let (whole, frac) = match decimal {
        Some(index) => (&number[..index], &number[index + 1..]),
        None => (&*number, ""),
    };
    let mantissa = mantissa_of(whole, frac)?;
    let multiplier: i128 = match scale.to_ascii_lowercase().as_str() {
        "" => 1,
        "k" | "thousand" => 1_000,
        "m" | "mn" | "million" => 1_000_000,
        "b" | "bn" | "billion" => 1_000_000_000,
        _ => return None,
    };
    let exponent = currency.exponent() as i32 - frac.len() as i32;
    let value = mantissa.saturating_mul(multiplier);
    let minor = if exponent >= 0 {
        value.saturating_mul(10i128.saturating_pow(exponent as u32))
    } else {
        let divisor = 10i128.checked_pow((-exponent) as u32)?;
        if currency.is_token() && value % divisor != 0 {
            // A token amount finer than the unit kept is not rounded.
            return None;
        }
        value.saturating_add(divisor / 2) / divisor
    };
    Some(minor)
}

/// The ASCII digits of `whole` followed by `frac` (all of it) as one
/// number, as parsing the two written one after the other reads them:
/// `None` without any digit; beyond `i128` (or with a character in `frac`
/// that is no ASCII digit), `i128::MAX` when `whole` has more than 19
/// digits, else `None`. Counted as it goes, with no text built.
fn mantissa_of(whole: &str, frac: &str) -> Option<i128> {
    let whole_digits = whole.bytes().filter(u8::is_ascii_digit);
    let count = whole_digits.clone().count();
    if count + frac.len() == 0 {
        return None;
    }
    let value = whole_digits
        .map(Some)
        .chain(frac.bytes().map(|b| b.is_ascii_digit().then_some(b)))
        .try_fold(0i128, |value, digit| {
            value
                .checked_mul(10)?
                .checked_add(i128::from(digit? - b'0'))
        });
    match value {
        Some(value) => Some(value),
        None if count > 19 => Some(i128::MAX),
        None => None,
    }
}

/// The byte index of the decimal mark in `number`, if it has one.
fn decimal_mark(number: &str, scaled: bool) -> Option<usize> {
    let commas = number.matches(',').count();
    let dots = number.matches('.').count();
    let last = number.rfind([',', '.'])?;
    let digits_after = number.len() - last - 1;
    match (commas, dots) {
        (0, 0) => None,
        // Both present: whichever comes last is the decimal mark.
        (c, d) if c > 0 && d > 0 => Some(last),
        // One mark, several times: grouping (`1,234,567`, `1.234.567`).
        (c, d) if c + d > 1 => None,
        // One mark once: `12.5k` and `2,5` are decimals, `3.000` and
        // `2,400` group thousands; `0.005` is a decimal (no group is 0).
        _ if scaled || digits_after != 3 || number.starts_with('0') => Some(last),
        _ => None,
    }
}

#[cfg(test)]
mod bare_tests {
    use super::*;

    /// The shortcut reads what the pattern reads, and only such texts.
    #[test]
    fn bare_dollar_amounts_read_as_the_pattern_reads_them() {
        let read_by_pattern = |text: &str| {
            let mut found = Vec::new();
            for caps in MONEY.captures_iter(text) {
                let (Some(n), None, None) = (caps.name("n1"), caps.name("sign"), caps.name("c1"))
                else {
                    return None;
                };
                if caps.name("s1").is_some_and(|s| !s.as_str().is_empty()) {
                    return None;
                }
                let whole = caps.get(0)?;
                found.push((n.as_str().to_string(), whole.start(), whole.end()));
            }
            Some(found)
        };
        // The shortcut's reading of `text` is the pattern's.
        let read_as_the_pattern_reads = |text: &str| {
            assert_eq!(
                scan_uncached(text, Currency::USD),
                scan_by_pattern(text, Currency::USD),
                "{text}"
            );
        };
        for text in [
            "$0",
            "$7",
            "$12000",
            "$18,000",
            "$1,234,567",
            "$123,456",
            "$000",
            "$99999999999",
        ] {
            let number = bare_dollars(text).expect(text);
            assert_eq!(
                read_by_pattern(text),
                Some(vec![(number.to_string(), 0, text.len())]),
                "{text}"
            );
        }
        for text in ["+$1000", "-$5", "−$1,000", "+$0", "-$12,345,678"] {
            let caps = MONEY.captures(text).expect(text);
            let sign = caps.name("sign").map(|m| m.as_str());
            let unsigned = text.strip_prefix(sign.unwrap_or("")).unwrap_or(text);
            let number = bare_dollars(unsigned).expect(text);
            assert_eq!(caps.name("n1").map(|m| m.as_str()), Some(number), "{text}");
            assert!(caps.name("c1").is_none(), "{text}");
            assert_eq!(caps.name("s1").map(|m| m.as_str()), Some(""), "{text}");
            assert_eq!(
                caps.get(0).map(|m| m.range()),
                Some(0..text.len()),
                "{text}"
            );
            assert_eq!(MONEY.captures_iter(text).count(), 1, "{text}");
            let expected = Money::bounded(
                to_minor(number, "", Currency::USD)
                    .map(|m| if text.starts_with('+') { m } else { -m })
                    .expect(text),
                Currency::USD,
            );
            assert_eq!(
                scan(text, Currency::USD),
                vec![(expected, 0, text.len())],
                "{text}"
            );
        }
        for text in [
            "$14000 (2 DevOps Engineer)",
            "$1,400 (a note)",
            "-$5 (x)",
            "+$0 (none)",
            "$7 (3 weeks)",
            "$12 (",
            "$12000 (incl. tax)",
        ] {
            assert!(!scan_uncached(text, Currency::USD).is_empty(), "{text}");
            read_as_the_pattern_reads(text);
        }
        // Texts the shortcut must leave to the pattern, read alike.
        for text in [
            "$14000 (2 x $7000)",
            "$1,400 (€1,300)",
            "$12 (USD)",
            "$12 (12 EUR)",
            "$12 M",
            "$12 (£5)",
            "$5,0000 (x)",
            "$12 000 (x)",
            "$12k (x)",
        ] {
            read_as_the_pattern_reads(text);
        }
        for text in [
            "$",
            "$ 12",
            "$12 ",
            "$12k",
            "$12.50",
            "$1,2345",
            "$12,00",
            "$,123",
            "$1,,000",
            "$1,000,",
            "-$5",
            "$5 USD",
            "12000",
            "$1234,567",
            "US$5",
            "$１２",
        ] {
            assert_eq!(bare_dollars(text), None, "{text}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(text: &str) -> Option<(i64, String)> {
        find_first(text, Currency::USD).map(|f| (f.money.minor, f.money.currency.to_string()))
    }

    fn usd(minor: i64) -> Option<(i64, String)> {
        Some((minor, "USD".into()))
    }

    fn eur(minor: i64) -> Option<(i64, String)> {
        Some((minor, "EUR".into()))
    }

    proptest::proptest! {
        /// The cheap pre-check never hides an amount the pattern finds.
        #[test]
        fn the_pre_check_hides_no_amount(text in "[0-9A-Za-z$€£¥₹ ,.kKmM+\\-]{0,24}") {
            if !could_hold_money(&text) {
                proptest::prop_assert!(MONEY.find(&text).is_none(), "{text:?}");
            }
        }
    }

    #[test]
    fn reads_the_written_forms() {
        assert_eq!(first("$2,400"), usd(240_000));
        assert_eq!(first("$2,400.50"), usd(240_050));
        assert_eq!(first("$12.5k"), usd(1_250_000));
        assert_eq!(first("$1.2M"), usd(120_000_000));
        assert_eq!(first("$42K"), usd(4_200_000));
        assert_eq!(first("€12,500"), eur(1_250_000));
        assert_eq!(first("£3,000").map(|m| m.1), Some("GBP".into()));
        assert_eq!(first("USD 5,000"), usd(500_000));
        assert_eq!(first("5,000 EUR"), eur(500_000));
        assert_eq!(first("-$9,000"), usd(-900_000));
        assert_eq!(first("+$2,400"), usd(240_000));
        assert_eq!(first("**$50,400**"), usd(5_040_000));
        assert_eq!(first("Total Costs: 3.000 USD"), usd(300_000));
        assert_eq!(first("250 000 € HT"), eur(25_000_000));
        assert_eq!(first("19,680€"), eur(1_968_000));
        assert_eq!(first("12,5 €"), eur(1_250));
        assert_eq!(first("€1.234,56"), eur(123_456));
        assert_eq!(first("£10 million").map(|m| m.0), Some(1_000_000_000));
        assert_eq!(first("$100K–$200K"), usd(10_000_000));
    }

    /// The forms real plans write, one per assertion. A single dot or comma
    /// followed by exactly three digits groups thousands (`EUR 15.000` is
    /// fifteen thousand); with any other number of digits it is a decimal
    /// mark (`€ 12.5`).
    #[test]
    fn reads_the_forms_real_plans_use() {
        let chf = |minor: i64| Some((minor, "CHF".to_string()));
        let gbp = |minor: i64| Some((minor, "GBP".to_string()));
        assert_eq!(first("€ 2 880"), eur(288_000));
        assert_eq!(first("2.880,00 €"), eur(288_000));
        assert_eq!(first("CHF 1'200"), chf(120_000));
        assert_eq!(first("CHF 1\u{2019}200"), chf(120_000));
        assert_eq!(first("CHF 12'500.50"), chf(1_250_050));
        assert_eq!(first("$37,750 cUSD"), usd(3_775_000));
        assert_eq!(first("£19,800"), gbp(1_980_000));
        assert_eq!(first("19.800 GBP"), gbp(1_980_000));
        assert_eq!(first("\\$5,681,820"), usd(568_182_000));
        assert_eq!(first("EUR 15.000"), eur(1_500_000));
        assert_eq!(first("€15.000"), eur(1_500_000));
        assert_eq!(first("€ 8751.50"), eur(875_150));
        assert_eq!(first("262 500 € HT"), eur(26_250_000));
        assert_eq!(first("**£13,200.00**"), gbp(1_320_000));
        assert_eq!(first("€ 12.5"), eur(1_250));
        assert_eq!(first("£13,200 VAT not included"), gbp(1_320_000));
        let btc = |minor: i64| Some((minor, "BTC".to_string()));
        assert_eq!(first("Total Costs: $ 2 BTC."), btc(200));
        assert_eq!(first("$1BTC"), btc(100));
        assert_eq!(first("1 BTC"), btc(100));
        assert_eq!(first("0.25 BTC"), btc(25));
        assert_eq!(first("0.005 BTC"), None);
        assert_eq!(first("€0,500"), eur(50));
        assert_eq!(first("10,000 DOT"), Some((1_000_000, "DOT".to_string())));
        assert_eq!(first("ETH 2.0 upgrade"), None);
    }

    #[test]
    fn the_stated_figure_is_never_a_rate_or_an_operand() {
        let stated = |text: &str| find_stated(text, Currency::USD).map(|f| f.money.minor);
        assert_eq!(stated("6 weeks x 8 hours x € 75 = € 3600"), Some(360_000));
        assert_eq!(stated("€ 75 per hour, € 3,600 in all"), Some(360_000));
        assert_eq!(stated("$400/day for 10 days: $4,000"), Some(400_000));
        assert_eq!(stated("120 hours @ € 89 (€ 10,680)"), Some(1_068_000));
        assert_eq!(stated("$50 /month hosting"), None);
        assert_eq!(stated("10% of $5,000"), None);
        assert_eq!(stated("$500 (10% of $5,000)"), Some(50_000));
        assert_eq!(stated("$10,000 USD (13% of total)"), Some(1_000_000));
        assert_eq!(stated("3 x $20"), None);
        assert_eq!(stated("$20 x 3 = $60"), Some(6_000));
        assert_eq!(stated("$6,000"), Some(600_000));
        assert_eq!(stated("**$2K–$5K**"), None);
        assert_eq!(stated("$100K-$200K"), None);
        assert_eq!(stated("€5,000 to €8,000"), None);
        assert_eq!(stated("$500 - travel $200"), Some(50_000));
        assert_eq!(stated("€ 3,000 + € 600 = € 3,600"), Some(360_000));
        assert_eq!(
            stated("$6,000 (2 x 4 weeks x $750 = $6,000)"),
            Some(600_000)
        );
        assert_eq!(
            stated("$5,000 (3 days @ $400/day = $1,200, rest travel)"),
            Some(500_000)
        );
    }

    #[test]
    fn ignores_numbers_without_currency() {
        assert_eq!(first("3 days @ 400/day"), None);
        assert_eq!(first("Week 3-4"), None);
        assert_eq!(first("12 ABC"), None);
        assert_eq!(first("$ 2 XYZ."), None);
    }

    #[test]
    fn dollar_follows_the_plan_currency() {
        let cad = Currency::from_code("CAD").expect("known");
        let found = find_first("$500", dollar_for(Some(cad))).expect("money");
        assert_eq!(found.money.currency, cad);
        let eur = Currency::from_code("EUR");
        assert_eq!(dollar_for(eur), Currency::USD);
    }

    #[test]
    fn amounts_beyond_the_bound_are_not_read_but_found() {
        assert_eq!(first("$1,000,000,000,000,000"), usd(MAX_MAJOR * 100));
        assert_eq!(first("-$1,000,000,000,000,000"), usd(-MAX_MAJOR * 100));
        for text in [
            "$1,000,000,000,000,001",
            "$50,000,000,000,000,000",
            "$9999999999999999999999999999999999999999999",
            "$5000000 billion",
        ] {
            assert_eq!(first(text), None, "{text}");
            assert!(oversized(text, Currency::USD).is_some(), "{text}");
        }
        assert_eq!(oversized("$2,400", Currency::USD), None);
    }

    #[test]
    fn sums_and_differences_are_checked() {
        let usd = |major: i64| Money::new(major * 100, Currency::USD);
        let eur = Currency::from_code("EUR").expect("known");
        assert_eq!(checked_sum([usd(1), usd(2)]), Ok(Some(usd(3))));
        assert_eq!(checked_sum(std::iter::empty()), Ok(None));
        assert_eq!(
            checked_sum([usd(1), Money::new(1, eur)]),
            Err(SumError::MixedCurrencies)
        );
        let big = usd(MAX_MAJOR / 2 + 1);
        assert_eq!(
            checked_sum([usd(1), big, big]),
            Err(SumError::TooLarge { at: 2 })
        );
        // Past i64 in minor units: still an error, never a wrapped total.
        assert_eq!(
            checked_sum(std::iter::repeat_n(usd(MAX_MAJOR), 200)),
            Err(SumError::TooLarge { at: 1 })
        );
        assert_eq!(usd(MAX_MAJOR).checked_sub(usd(-1)), None);
        assert_eq!(usd(5).checked_sub(usd(7)), Some(usd(-2)));
        assert_eq!(usd(5).checked_add(Money::new(1, eur)), None);
        assert_eq!(
            totals_by_currency([usd(MAX_MAJOR), usd(1), Money::new(100, eur)]),
            vec![Money::new(100, eur)]
        );
    }

    #[test]
    fn display_writes_what_the_formatted_parts_wrote() {
        let by_parts = |m: Money| {
            let exponent = m.currency.exponent();
            let scale = 10u64.pow(exponent);
            let abs = m.minor.unsigned_abs();
            let (whole, frac) = (abs / scale, abs % scale);
            let mut digits = crate::text::thousands(whole);
            if frac != 0 {
                digits = format!("{digits}.{frac:0width$}", width = exponent as usize);
            }
            let sign = if m.minor < 0 { "-" } else { "" };
            match symbol_for(m.currency) {
                Some(symbol) => format!("{sign}{symbol}{digits}"),
                None => format!("{sign}{digits} {}", m.currency),
            }
        };
        let codes = ["USD", "EUR", "GBP", "JPY", "INR", "CHF", "KRW", "BTC"];
        for code in codes {
            let currency = Currency::from_code(code).expect(code);
            for minor in [
                0,
                1,
                5,
                9,
                10,
                99,
                100,
                101,
                105,
                1_000,
                99_999,
                100_000,
                123_456_789,
                1_000_000_007,
                i64::MAX,
                -1,
                -10,
                -123_456,
                i64::MIN + 1,
            ] {
                let m = Money::new(minor, currency);
                assert_eq!(m.display(), by_parts(m), "{minor} {code}");
            }
        }
    }

    #[test]
    fn displays_and_serialises() {
        assert_eq!(Money::new(5_040_000, Currency::USD).display(), "$50,400");
        let eur = Currency::from_code("eur").expect("known");
        assert_eq!(Money::new(-125_050, eur).display(), "-€1,250.50");
        assert_eq!(
            Money::new(240_050, Currency::USD).json_number(),
            serde_json::json!(2400.5)
        );
        assert_eq!(
            Money::new(240_000, Currency::USD).json_number(),
            serde_json::json!(2400)
        );
    }
}
