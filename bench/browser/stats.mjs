// Summary figures over lists of numbers; null for an empty list, so a summary shows "no data"
// rather than NaN.

export const round = (x, d = 0) => (x == null || Number.isNaN(x) ? x : Math.round(x * 10 ** d) / 10 ** d);

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? null : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export const mean = (xs) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);

export const geomean = (xs) => (xs.length ? Math.exp(mean(xs.map((x) => Math.log(x)))) : null);
