/**
 * Where a JSON text goes wrong, as a line and a column an editor can jump to, with a reason in plain
 * words. `JSON.parse` knows only that it failed: its message varies between Node versions, quotes
 * the input back, and gives a character offset at best. This scanner runs only after JSON.parse has
 * failed, and names the mistakes people make by hand: trailing commas, comments, single quotes,
 * a missing comma, NaN.
 *
 * It is iterative (an explicit stack of open brackets), so deep nesting cannot overflow it.
 */

export interface JsonSyntaxError {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units (what editors count for text without astral characters). */
  column: number;
  reason: string;
}

/** The first syntax error in `text`, or undefined when `text` is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const failure = new JsonScanner(text).scan();
  return failure === undefined ? undefined : { ...lineAndColumn(text, failure.pos), reason: failure.reason };
}

interface Failure {
  pos: number;
  reason: string;
}

/** What the scanner expects next. */
type Expect = "value" | "firstValue" | "key" | "firstKey" | "colon" | "next";

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const NUMBER_LIKE = /[-+.eE0-9]+/y;
const WORD = /[A-Za-z_$][A-Za-z0-9_$]*/y;
const ESCAPES = '"\\/bfnrt';

class JsonScanner {
  private pos = 0;
  private expect: Expect = "value";
  private readonly open: string[] = [];
  private lastComma = 0;

  constructor(private readonly text: string) {}

  scan(): Failure | undefined {
    for (;;) {
      this.skipWhitespace();
      if (this.pos >= this.text.length) return this.atEnd();
      const failure = this.step(this.text[this.pos]);
      if (failure !== undefined) return failure;
    }
  }

  private atEnd(): Failure | undefined {
    if (this.expect === "next" && this.open.length === 0) return undefined;
    const unclosed = this.open.length > 0 ? ` (${this.open.length} unclosed "${this.open[this.open.length - 1]}")` : "";
    return this.fail(this.text.length === 0 ? "the text is empty" : `unexpected end of the file${unclosed}`);
  }

  /** Consumes one token at `pos`, or says why it cannot be there. */
  private step(c: string): Failure | undefined {
    if (c === "/" && (this.text[this.pos + 1] === "/" || this.text[this.pos + 1] === "*")) {
      return this.fail("comments are not allowed in JSON");
    }
    switch (this.expect) {
      case "value":
      case "firstValue":
        return this.value(c);
      case "key":
      case "firstKey":
        return this.key(c);
      case "colon":
        if (c !== ":") return this.fail(`expected ":" after the field name, got ${show(c)}`);
        this.pos++;
        this.expect = "value";
        return undefined;
      case "next":
        return this.next(c);
    }
  }

  private value(c: string): Failure | undefined {
    if (c === "]" && this.expect === "firstValue") return this.close();
    if (c === "]" && this.open[this.open.length - 1] === "[") return this.trailingComma("]");
    if (c === "{" || c === "[") {
      this.open.push(c);
      this.pos++;
      this.expect = c === "{" ? "firstKey" : "firstValue";
      return undefined;
    }
    const failure = this.scalar(c);
    this.expect = "next";
    return failure;
  }

  private key(c: string): Failure | undefined {
    if (c === "}" && this.expect === "firstKey") return this.close();
    if (c === "}") return this.trailingComma("}");
    if (c === "'") return this.fail("field names need double quotes, not single quotes");
    if (c !== '"') return this.fail(`expected a field name in double quotes, got ${show(c)}`);
    this.expect = "colon";
    return this.string();
  }

  private next(c: string): Failure | undefined {
    const top = this.open[this.open.length - 1];
    if (top === undefined) return this.fail(`unexpected ${show(c)} after the end of the JSON value`);
    const closer = top === "{" ? "}" : "]";
    if (c === closer) return this.close();
    if (c === ",") {
      this.lastComma = this.pos++;
      this.expect = top === "{" ? "key" : "value";
      return undefined;
    }
    if (c === "}" || c === "]") return this.fail(`${show(c)} does not match the open "${top}"`);
    if (top === "{" && c === '"') return this.fail('a "," is missing before this field');
    if (top === "[" && '{["-0123456789tfn'.includes(c)) return this.fail('a "," is missing before this item');
    return this.fail(`expected "," or "${closer}", got ${show(c)}`);
  }

  private close(): undefined {
    this.open.pop();
    this.pos++;
    this.expect = "next";
    return undefined;
  }

  private trailingComma(closer: string): Failure {
    return { pos: this.lastComma, reason: `a comma before "${closer}" is not allowed in JSON` };
  }

  /** A string, number or literal starting at `pos`. */
  private scalar(c: string): Failure | undefined {
    if (c === '"') return this.string();
    if (c === "'") return this.fail("strings need double quotes, not single quotes");
    if (c === "-" || (c >= "0" && c <= "9")) return this.number();
    WORD.lastIndex = this.pos;
    const word = WORD.exec(this.text)?.[0];
    if (word === undefined) return this.fail(`unexpected ${show(c)}`);
    if (word === "true" || word === "false" || word === "null") {
      this.pos += word.length;
      return undefined;
    }
    if (word === "NaN" || word === "Infinity") return this.fail(`${word} is not a JSON number`);
    return this.fail(`unexpected word ${JSON.stringify(word.slice(0, 40))} (JSON values are "strings", numbers, true, false, null, {objects} and [arrays])`);
  }

  private number(): Failure | undefined {
    NUMBER_LIKE.lastIndex = this.pos;
    const token = NUMBER_LIKE.exec(this.text)?.[0] ?? "";
    NUMBER.lastIndex = this.pos;
    const valid = NUMBER.exec(this.text)?.[0] ?? "";
    if (valid.length === 0 || valid.length !== token.length) {
      return this.fail(`invalid number ${JSON.stringify(token.slice(0, 40))}`);
    }
    this.pos += valid.length;
    return undefined;
  }

  /** A string starting at the opening quote at `pos`. */
  private string(): Failure | undefined {
    const start = this.pos;
    for (let i = start + 1; i < this.text.length; i++) {
      const c = this.text[i];
      if (c === '"') {
        this.pos = i + 1;
        return undefined;
      }
      if (c === "\n" || c === "\r") return { pos: i, reason: "line break inside a string (a missing closing quote?)" };
      if (c < " ") return { pos: i, reason: `control character ${show(c)} inside a string (write it as an escape such as \\t)` };
      if (c === "\\") {
        const failure = this.escape(i);
        if (failure !== undefined) return failure;
        i += this.text[i + 1] === "u" ? 5 : 1;
      }
    }
    return { pos: start, reason: "this string is never closed" };
  }

  private escape(at: number): Failure | undefined {
    const e = this.text[at + 1];
    if (e === undefined) return { pos: at, reason: "this string is never closed" };
    if (e === "u") {
      return /^[0-9A-Fa-f]{4}$/.test(this.text.slice(at + 2, at + 6))
        ? undefined
        : { pos: at, reason: 'invalid escape: "\\u" needs 4 hex digits' };
    }
    return ESCAPES.includes(e) ? undefined : { pos: at, reason: `invalid escape "\\${e}" in a string` };
  }

  private skipWhitespace(): void {
    while (this.pos < this.text.length && " \t\n\r".includes(this.text[this.pos])) this.pos++;
  }

  private fail(reason: string): Failure {
    return { pos: this.pos, reason };
  }
}

/** A character for a message: `"}"` when printable (a quote as `'"'`), `U+00A0` when not. */
function show(c: string): string {
  const code = c.charCodeAt(0);
  if (c === '"') return `'"'`;
  if (code >= 0x20 && code < 0x7f) return JSON.stringify(c);
  return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

function lineAndColumn(text: string, pos: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: pos - lineStart + 1 };
}
