/**
 * Idempotency keys: a service remembers the answer it gave to each key, and answers a repeated request
 * with the remembered answer instead of doing the work again. So a retry (the request arrived but the
 * answer was lost, or the orchestrator restarted and asked again) has no extra effect.
 *
 * The table is part of the service's own durable state, written in the same local transaction as the
 * effect: otherwise a crash between the two would apply the effect and forget the key.
 */
export class IdempotencyTable<Answer> {
  private readonly answers = new Map<string, Answer>();

  /** The answer already given to this key, if any. */
  answered(key: string): Answer | undefined {
    return this.answers.get(key);
  }

  remember(key: string, answer: Answer): Answer {
    this.answers.set(key, answer);
    return answer;
  }

  /** Runs `work` once per key; a repeat gets the first answer. */
  once(key: string, work: () => Answer): Answer {
    const earlier = this.answers.get(key);
    return earlier !== undefined ? earlier : this.remember(key, work());
  }

  get size(): number {
    return this.answers.size;
  }
}
