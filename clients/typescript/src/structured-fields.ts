// A parser for Structured Field Lists (RFC 9651, formerly RFC 8941), the syntax of the RateLimit and
// RateLimit-Policy headers (draft-ietf-httpapi-ratelimit-headers).

/** A bare item: string, token, integer, decimal, boolean, or byte sequence (kept as its base64 text). */
export type BareItem = string | number | boolean;

export interface Item {
  value: BareItem;
  params: Readonly<Record<string, BareItem>>;
}

/**
 * Parses a List field. Inner lists are skipped; a field that breaks the syntax yields `undefined` (RFC 9651
 * says to ignore the whole field), so a bad header never throws.
 */
export function parseList(field: string | null | undefined): Item[] | undefined {
  if (field == null) {
    return undefined;
  }
  const parser = new Parser(field);
  try {
    return parser.list();
  } catch (error) {
    if (error instanceof SyntaxError) {
      return undefined;
    }
    throw error;
  }
}

class Parser {
  private pos = 0;

  constructor(private readonly input: string) {}

  list(): Item[] {
    const items: Item[] = [];
    this.skip(" \t");
    while (this.pos < this.input.length) {
      if (this.peek() === "(") {
        this.innerList();
        this.params();
      } else {
        items.push(this.item());
      }
      this.skip(" \t");
      if (this.pos >= this.input.length) {
        return items;
      }
      this.expect(",");
      this.skip(" \t");
      if (this.pos >= this.input.length) {
        throw new SyntaxError("trailing comma");
      }
    }
    return items;
  }

  private item(): Item {
    const value = this.bareItem();
    return { value, params: this.params() };
  }

  private innerList(): void {
    this.expect("(");
    for (;;) {
      this.skip(" ");
      if (this.peek() === ")") {
        this.pos++;
        return;
      }
      this.item();
      const next = this.peek();
      if (next !== " " && next !== ")") {
        throw new SyntaxError("bad inner list");
      }
    }
  }

  private params(): Record<string, BareItem> {
    const params: Record<string, BareItem> = {};
    while (this.peek() === ";") {
      this.pos++;
      this.skip(" ");
      const key = this.key();
      let value: BareItem = true;
      if (this.peek() === "=") {
        this.pos++;
        value = this.bareItem();
      }
      params[key] = value;
    }
    return params;
  }

  private key(): string {
    const match = /^[a-z*][a-z0-9_\-.*]*/.exec(this.input.slice(this.pos));
    if (!match) {
      throw new SyntaxError("bad key");
    }
    this.pos += match[0].length;
    return match[0];
  }

  private bareItem(): BareItem {
    const c = this.peek();
    if (c === '"') {
      return this.string();
    }
    if (c === "?") {
      const b = this.input[this.pos + 1];
      if (b !== "0" && b !== "1") {
        throw new SyntaxError("bad boolean");
      }
      this.pos += 2;
      return b === "1";
    }
    if (c === ":") {
      const end = this.input.indexOf(":", this.pos + 1);
      if (end < 0) {
        throw new SyntaxError("bad byte sequence");
      }
      const bytes = this.input.slice(this.pos + 1, end);
      this.pos = end + 1;
      return bytes;
    }
    const rest = this.input.slice(this.pos);
    const number = /^-?\d{1,15}(\.\d{1,3})?/.exec(rest);
    if (number) {
      this.pos += number[0].length;
      return Number(number[0]);
    }
    const token = /^[A-Za-z*][A-Za-z0-9!#$%&'*+\-.^_`|~:/]*/.exec(rest);
    if (token) {
      this.pos += token[0].length;
      return token[0];
    }
    throw new SyntaxError("bad item");
  }

  private string(): string {
    let out = "";
    this.pos++; // opening quote
    while (this.pos < this.input.length) {
      const c = this.input[this.pos++]!;
      if (c === "\\") {
        const escaped = this.input[this.pos++];
        if (escaped !== '"' && escaped !== "\\") {
          throw new SyntaxError("bad escape");
        }
        out += escaped;
      } else if (c === '"') {
        return out;
      } else if (c < " " || c > "~") {
        throw new SyntaxError("bad string character");
      } else {
        out += c;
      }
    }
    throw new SyntaxError("unterminated string");
  }

  private peek(): string | undefined {
    return this.input[this.pos];
  }

  private expect(c: string): void {
    if (this.input[this.pos] !== c) {
      throw new SyntaxError(`expected ${c}`);
    }
    this.pos++;
  }

  private skip(chars: string): void {
    while (this.pos < this.input.length && chars.includes(this.input[this.pos]!)) {
      this.pos++;
    }
  }
}
