/* Small pure helpers for values that come from the server or the participant. */

export function str(v) {
  return (v === null || v === undefined) ? '' : String(v);
}

export function clamp(v, lo, hi) { return Math.min(hi, Math.max(lo, v)); }

export function toInt(v, fallback) {
  const n = parseInt(v, 10);
  return isFinite(n) ? n : fallback;
}

/** A session code as the server writes it: no spaces, upper case. */
export function normalizeCode(raw) {
  return str(raw).replace(/\s+/g, '').toUpperCase();
}
