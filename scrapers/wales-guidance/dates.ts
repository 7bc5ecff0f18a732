const MONTHS: Record<string, number> = {
  january: 1, february: 2, march: 3, april: 4, may: 5, june: 6, july: 7, august: 8, september: 9, october: 10, november: 11, december: 12,
  ionawr: 1, chwefror: 2, mawrth: 3, ebrill: 4, mai: 5, mehefin: 6, gorffennaf: 7, awst: 8, medi: 9, hydref: 10, tachwedd: 11, rhagfyr: 12,
};
const DATE = /\b(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})\b/;

/** "6 April 2016" / "27 Awst 2024" → YYYY-MM-DD; null if the text holds no such date. */
export function isoDate(text: string): string | null {
  const m = text.match(DATE);
  const month = m ? MONTHS[m[2]!.toLowerCase()] : undefined;
  return m && month ? `${m[3]}-${String(month).padStart(2, '0')}-${m[1]!.padStart(2, '0')}` : null;
}

// Codes print the date on their cover: "Coming into force: 6 April 2016", "This code comes into force on
// …", in Welsh "Yn dod i rym: 6 Ebrill 2016" / "yn dod i rym ar …".
const COMING_INTO_FORCE = /(?:coming into force(?: date)?|comes? into force on|(?:yn )?dod i rym(?: ar)?)[:\s]+(?:on\s+|ar\s+)?(\d{1,2}\s+[A-Za-z]+\s+\d{4})/i;

/** The first coming-into-force date stated in the text, as YYYY-MM-DD. */
export function comingIntoForce(text: string): string | null {
  const m = text.match(COMING_INTO_FORCE);
  return m ? isoDate(m[1]!) : null;
}
