/**
 * The outcome of work that reports failure instead of throwing (a request, a
 * spool write, a user's mask): `ok` says which, then `value` or `error` says
 * what. One shape, so every caller reads an outcome the same way.
 */
export type Result<T = void, E = Error> = Success<T> | Failure<E>;

/** A success; without a `value` when there is nothing to hand back (`T` is void). */
export type Success<T> = [T] extends [void] ? { ok: true } : { ok: true; value: T };

export interface Failure<E> {
  ok: false;
  error: E;
}
