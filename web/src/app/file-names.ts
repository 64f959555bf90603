/** 'holiday.jpg' → 'holiday.cutout.png'; names without an extension just gain the suffix. */
export function cutoutName(original: string): string {
  const base = original.replace(/[\\/]/g, '_').trim() || 'image';
  const dot = base.lastIndexOf('.');
  const stem = dot > 0 ? base.slice(0, dot) : base;
  return `${stem}.cutout.png`;
}

/** Makes names unique for a ZIP: the second 'a.png' becomes 'a-2.png'. */
export function uniqueNames(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    let candidate = name;
    const dot = name.lastIndexOf('.');
    const stem = dot > 0 ? name.slice(0, dot) : name;
    const ext = dot > 0 ? name.slice(dot) : '';
    for (let n = 2; used.has(candidate); n++) candidate = `${stem}-${n}${ext}`;
    used.add(candidate);
    return candidate;
  });
}
