/**
 * What a customer id or a journey key may be. One rule for every door (emit, enroll, enrollMany, state,
 * exit, contacts, reports, the workflow boundary), so one customer always has one id: the string is used
 * exactly as given, never trimmed or normalised, and a string that two systems could read as two different
 * ids (or as the same id) is refused instead. Pure, safe in the workflow sandbox.
 */

/**
 * The longest a customer id or a key may be once percent-encoded, as it appears in workflow ids
 * (`journey/<name>/<customer>/<key>`, `contact/<customer>`): two of them plus a 64-character journey name
 * stay well inside Temporal's default workflow id limit of 1,000 bytes (`limit.maxIDLength`).
 */
export const MAX_ENCODED_ID_LENGTH = 400;

/** Temporal's default limit on workflow ids (`limit.maxIDLength`), in bytes. */
export const MAX_WORKFLOW_ID_BYTES = 1_000;

/**
 * Why `value` cannot be a customer id or key, or `undefined` when it can. Refused: a non-string or empty
 * value; whitespace at either end (`' bob'` and `'bob'` would be two customers); control, format and
 * separator characters (newlines, zero-width spaces, bidi overrides: invisible, so `bob` and `bo\u200bb`
 * look alike); lone surrogates (malformed UTF-16, which cannot be percent-encoded); text not in Unicode
 * NFC (`é` written as `e` + a combining accent is another string than `é`); and ids longer than
 * {@link MAX_ENCODED_ID_LENGTH} once percent-encoded.
 */
export function idProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return `must be a string, not ${value === null ? 'null' : typeof value}`;
  if (value === '') return 'must not be empty';
  if (!isWellFormed(value)) return 'holds a lone surrogate (malformed UTF-16)';
  if (/^\s|\s$/u.test(value)) return 'must not start or end with whitespace (ids are used exactly as given)';
  const invisible = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.exec(value);
  if (invisible) {
    const code = invisible[0].codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0');
    return `holds the invisible character U+${code} at position ${invisible.index}`;
  }
  if (value.normalize('NFC') !== value) return 'is not in Unicode NFC; send value.normalize("NFC")';
  const encoded = encodeURIComponent(value).length;
  if (encoded > MAX_ENCODED_ID_LENGTH)
    return `is ${encoded} characters once percent-encoded; the most is ${MAX_ENCODED_ID_LENGTH}`;
  return undefined;
}

/** `String.prototype.isWellFormed` (Node 20), written out for runtimes and sandboxes without it. */
function isWellFormed(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) return false;
  }
  return true;
}
