/**
 * Downsampling for display. A million-point series is too much for a browser, but averaging would
 * hide exactly what the course is about: a lag spike during a partition. Keeping the minimum and the
 * maximum of each bucket preserves every spike and dip while cutting the points to `maxPoints`.
 */

export interface Points {
  t: number[];
  v: number[];
}

/**
 * Min/max downsampling: splits the series into `maxPoints / 2` buckets of consecutive points and
 * keeps each bucket's lowest and highest point, in time order. NaN (no data) is skipped; a bucket of
 * only NaN keeps one NaN so the gap stays visible. Series that already fit are returned as copies.
 */
export function downsampleMinMax(t: readonly number[], v: readonly number[], maxPoints = 2000): Points {
  if (t.length !== v.length) throw new RangeError(`downsampleMinMax: ${t.length} times but ${v.length} values`);
  if (maxPoints < 2) throw new RangeError(`downsampleMinMax: maxPoints must be at least 2, got ${maxPoints}`);
  if (t.length <= maxPoints) return { t: t.slice(), v: v.slice() };
  const buckets = Math.floor(maxPoints / 2);
  const out: Points = { t: [], v: [] };
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * t.length) / buckets);
    const end = Math.floor(((b + 1) * t.length) / buckets);
    for (const i of bucketExtremes(v, start, end)) {
      out.t.push(t[i]);
      out.v.push(v[i]);
    }
  }
  return out;
}

/** Indices of the min and max of v[start, end), ascending; one index if they coincide or all NaN. */
function bucketExtremes(v: readonly number[], start: number, end: number): number[] {
  let lo = -1;
  let hi = -1;
  for (let i = start; i < end; i++) {
    const x = v[i];
    if (Number.isNaN(x)) continue;
    if (lo < 0 || x < v[lo]) lo = i;
    if (hi < 0 || x > v[hi]) hi = i;
  }
  if (lo < 0) return [start];
  if (lo === hi) return [lo];
  return lo < hi ? [lo, hi] : [hi, lo];
}
