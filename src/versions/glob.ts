/**
 * Whole-string globs in which only "*" is special: it stands for any run of characters, even none.
 * conda uses such globs for build strings (`py37_*`, `*cuda*`) and versions (`1.*.3`) and turns
 * them into regular expressions. A pattern with several ".*" can make a backtracking regex engine
 * take polynomial time in the length of the text, and the text here comes from an image, so the
 * match is done by hand: one backtracking point, O(pattern × text) at worst.
 */
export function matchesGlob(text: string, pattern: string): boolean {
  let t = 0;
  let p = 0;
  // Where the last "*" was seen, and where in the text its run currently ends.
  let star = -1;
  let starEnd = 0;
  while (t < text.length) {
    if (pattern[p] === "*") {
      star = p;
      starEnd = t;
      p += 1;
    } else if (p < pattern.length && pattern[p] === text[t]) {
      p += 1;
      t += 1;
    } else if (star >= 0) {
      // Let the last "*" swallow one more character and try the rest of the pattern again.
      p = star + 1;
      starEnd += 1;
      t = starEnd;
    } else {
      return false;
    }
  }
  while (pattern[p] === "*") p += 1;
  return p === pattern.length;
}
