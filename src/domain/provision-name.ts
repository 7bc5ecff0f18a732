/** "section 1(2)(a)", "Schedule 1, paragraph 2(1)" from CLML-style keys; anything else as given. */
export function provisionName(key: string, number: string | null): string {
  const section = /^(section|regulation|article|rule|clause)-([0-9A-Za-z]+)((?:-[0-9A-Za-z]+)*)$/.exec(key);
  if (section) return `${section[1]} ${section[2]}${subparts(section[3] ?? '')}`;
  const schedule = /^schedule-([0-9A-Za-z]+)-paragraph-([0-9A-Za-z]+)((?:-[0-9A-Za-z]+)*)$/.exec(key);
  if (schedule) return `Schedule ${schedule[1]}, paragraph ${schedule[2]}${subparts(schedule[3] ?? '')}`;
  const para = /^para-([0-9-]+)$/.exec(key);
  if (para) return `paragraph ${(para[1] ?? '').replace(/-/g, '.')}`;
  return number ? `${key} (${number})` : key;
}

function subparts(rest: string): string {
  return rest
    .split('-')
    .filter(Boolean)
    .map((p) => `(${p})`)
    .join('');
}
