// "did you mean …?": the known name closest to a misspelt one (Levenshtein distance), if it is close enough.

export function distance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/** The closest of `known` to `word`, or undefined when none is within a third of its length (at least 2 edits). */
export function closest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = word.toLowerCase();
  for (const k of known) {
    // A prefix of at least 3 letters counts as close ("warn" → warning).
    const d = lower.length >= 3 && k.toLowerCase().startsWith(lower) ? 1 : distance(lower, k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

export function didYouMean(word: string, known: readonly string[]): string {
  const hit = closest(word, known);
  return hit ? ` — did you mean ${hit}?` : '';
}
