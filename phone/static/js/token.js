/* What the phone keeps between page loads, per session code, and nothing else:
 *   localStorage:   the token (who this phone is, anonymous) and the admission ticket;
 *   sessionStorage: "welcomed" (the welcome screen was seen in this tab) and the words and
 *                   texts as typed (see typed.js).  Gone when the tab closes.
 * Storage that is refused (private mode, full) falls back to memory for this page's life.
 */

function storage(kind) {
  const memory = {};
  let real = null;
  try {
    real = window[kind];
    const probe = '__ipnb_probe__';
    real.setItem(probe, '1');
    real.removeItem(probe);
  } catch (e) { real = null; }
  return {
    get(k) {
      try { if (real) { return real.getItem(k); } } catch (e) { /* fall through */ }
      return Object.prototype.hasOwnProperty.call(memory, k) ? memory[k] : null;
    },
    set(k, v) {
      memory[k] = v;
      try { if (real) { real.setItem(k, v); } } catch (e) { /* memory only */ }
    },
    remove(k) {
      delete memory[k];
      try { if (real) { real.removeItem(k); } } catch (e) { /* ignore */ }
    }
  };
}

const local = storage('localStorage');
const tab = storage('sessionStorage');

/** One stored string per session code. */
function keyed(store, prefix) {
  return {
    get: (code) => store.get(prefix + code),
    set: (code, value) => store.set(prefix + code, value),
    remove: (code) => store.remove(prefix + code)
  };
}

export const token = keyed(local, 'ipnb-token-');
export const ticket = keyed(local, 'ipnb-ticket-');
export const welcomed = keyed(tab, 'ipnb-welcomed-');
export const typedForms = keyed(tab, 'ipnb-typed-');
