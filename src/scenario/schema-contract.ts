/**
 * Compile-time checks that a zod schema produces exactly a hand-written type, field for field: each
 * scenario kind declares `type X = [Assert<MutuallyAssignable<Parsed, T>>, Assert<MutuallyAssignable<
 * DeepRequired<Parsed>, DeepRequired<T>>>]`, which fails to compile when they disagree.
 */
export type Assert<T extends true> = T;
export type MutuallyAssignable<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Optional fields made required, all the way down: a field missing on one side then shows up. */
export type DeepRequired<T> = T extends readonly (infer E)[]
  ? DeepRequired<E>[]
  : T extends object
    ? { [K in keyof T]-?: DeepRequired<Exclude<T[K], undefined>> }
    : T;
