// Streaming SAX read of ossec.conf into raw <integration> records with Wazuh's XML rules.

import { createReadStream } from 'node:fs';
import sax from 'sax';
import type { Diagnostic, Position } from './diagnostic.js';
import { SourceMap } from './source-map.js';

/** One child element of an <integration> block, content verbatim (no trim, no entity decoding). */
export interface RawElement {
  readonly name: string;
  readonly text: string;
  /** Where the `<` of the element is. */
  readonly at: Position;
  /** Where its content starts (the character after `>`). */
  readonly textAt: Position;
}

/** One <integration> block in file order, before any decoding. */
export interface RawIntegration {
  /** 0-based position among all <integration> blocks of the file. */
  readonly index: number;
  readonly at: Position;
  readonly elements: readonly RawElement[];
}

export interface ReadResult {
  readonly integrations: readonly RawIntegration[];
  /** XML-level problems: syntax, unclosed elements, nesting, roots other than <ossec_config>. */
  readonly problems: readonly Diagnostic[];
}

// A synthetic root: ossec.conf has several top-level <ossec_config> roots, which strict sax rejects.
const ROOT = 'integratord-synthetic-root';
const MAX_XML_ERRORS = 20;

interface OpenElement {
  name: string;
  at: Position;
  textAt: Position;
  text: string;
  hasChildren: boolean;
}

/** Incremental reader: feed chunks of the original text, then `end()`. */
export class OssecConfReader {
  readonly #file: string;
  readonly #map: SourceMap;
  readonly #parser: sax.SAXParser;
  readonly #stack: OpenElement[] = [];
  readonly #integrations: RawIntegration[] = [];
  readonly #problems: Diagnostic[] = [];
  #current: { at: Position; elements: RawElement[] } | undefined;
  /** A close tag that does not match the innermost open element (sax reports it once per level). */
  #mismatch: { name: string; at: Position } | undefined;
  #xmlErrors = 0;
  /** Top-level elements seen: a file with none is empty (or only comments), never a real ossec.conf. */
  #roots = 0;

  constructor(file: string) {
    this.#file = file;
    const prefix = `<${ROOT}>`;
    this.#map = new SourceMap(prefix.length);
    this.#parser = sax.parser(true, { position: true, trim: false, normalize: false });
    this.#parser.onopentag = (tag) => this.#open(tag.name);
    this.#parser.onclosetag = (name) => this.#close(name);
    this.#parser.ontext = (text) => this.#text(text);
    // sax passes CDATA raw, so the `&amp;` the source map fed for each `&` is undone here.
    this.#parser.oncdata = (text) => this.#text(text.replaceAll('&amp;', '&'));
    this.#parser.onerror = (error) => this.#xmlError(error);
    this.#parser.write(prefix);
  }

  /** Feeds a chunk of the original file text. */
  write(chunk: string): void {
    this.#parser.write(this.#map.feed(chunk));
  }

  /** Ends the document and returns everything found. */
  end(): ReadResult {
    const open = this.#stack.filter((e) => e.name !== ROOT);
    for (const element of open.reverse()) {
      this.#problem(element.at, `unclosed element <${element.name}>: no </${element.name}> before the end of the file`);
    }
    if (open.length === 0) {
      this.#parser.write(`</${ROOT}>`);
      this.#parser.close();
    }
    if (this.#roots === 0 && this.#problems.length === 0) {
      // Wazuh reads such a file as "no integration" and exits 0: a config truncated to nothing would stop all delivery silently.
      this.#problem({ line: 1, column: 1 }, 'no <ossec_config> element: the file is empty or holds only comments and blanks');
    }
    return { integrations: this.#integrations, problems: this.#problems };
  }

  #startPosition(): Position {
    return this.#map.position(this.#parser.startTagPosition - 1);
  }

  #here(): Position {
    return this.#map.position(this.#parser.position);
  }

  #open(name: string): void {
    const parent = this.#stack[this.#stack.length - 1];
    const element: OpenElement = { name, at: this.#startPosition(), textAt: this.#here(), text: '', hasChildren: false };
    if (parent) parent.hasChildren = true;
    const depth = this.#stack.length; // 0: synthetic root, 1: top level, 2: section, 3: integration child
    if (depth === 1) this.#roots += 1;
    if (depth === 1 && name !== ROOT && name !== 'ossec_config') {
      this.#problem(element.at, `invalid root element <${name}>: Wazuh accepts only <ossec_config> here and refuses to start (1230)`);
    }
    if (depth === 2 && name === 'integration' && this.#stack[1]?.name === 'ossec_config') {
      this.#current = { at: element.at, elements: [] };
    }
    if (depth === 4 && this.#current && this.#stack[2]?.name === 'integration') {
      this.#problem(element.at, `<${name}> is not allowed inside <${parent?.name}>: integration settings hold text only (Wazuh 1234)`);
    }
    this.#stack.push(element);
  }

  #text(text: string): void {
    const top = this.#stack[this.#stack.length - 1];
    if (top) top.text += text;
  }

  #close(name: string): void {
    const element = this.#stack.pop();
    if (!element || element.name !== name) return;
    // An element closed implicitly by a mismatched close tag, or holding elements, is already
    // reported: decoding its text would only add noise.
    let broken = element.hasChildren;
    if (this.#mismatch) {
      if (this.#mismatch.name === name) this.#mismatch = undefined;
      else {
        broken = true;
        this.#problem(element.at, `unclosed element <${name}>: closed by </${this.#mismatch.name}> at ${this.#mismatch.at.line}:${this.#mismatch.at.column}`);
      }
    }
    const depth = this.#stack.length;
    if (depth === 3 && this.#current && this.#stack[2]?.name === 'integration' && !broken) {
      this.#current.elements.push({ name, text: element.text, at: element.at, textAt: element.textAt });
    }
    if (depth === 2 && name === 'integration' && this.#current) {
      this.#integrations.push({ index: this.#integrations.length, at: this.#current.at, elements: this.#current.elements });
      this.#current = undefined;
    }
  }

  #xmlError(error: Error): void {
    // sax keeps the tag being parsed in `tagName`, which its type declarations omit.
    const parser = this.#parser as sax.SAXParser & { tagName: string };
    const reason = error.message.split('\n')[0] ?? 'XML syntax error';
    const overflow = /^Max buffer length exceeded: (\w+)$/.exec(reason)?.[1];
    if (overflow !== undefined) {
      // sax keeps the buffer, grown one character at a time, and reports it again after every chunk (a
      // 150 MB comment took 55 s and 4 GB, then aborted): empty it. Wazuh reads comments of any length.
      (parser as unknown as Record<string, string>)[overflow] = '';
      if (overflow === 'comment') {
        parser.error = null as unknown as Error;
        parser.resume();
        return;
      }
    }
    const at = this.#map.position(Math.max(0, parser.position - 1));
    if (reason === 'Unexpected close tag') {
      // Reported once per open level; what it means is known only when sax closes or gives up.
      this.#mismatch ??= { name: parser.tagName, at: this.#map.position(Math.max(0, parser.position - parser.tagName.length - 3)) };
    } else if (reason.startsWith('Unmatched closing tag')) {
      const stray = this.#mismatch ?? { name: parser.tagName, at };
      const inside = this.#stack[this.#stack.length - 1];
      const context = inside && inside.name !== ROOT ? ` (inside <${inside.name}> opened at ${inside.at.line}:${inside.at.column})` : '';
      this.#problem(stray.at, `closing tag </${stray.name}> matches no open element${context}`);
      this.#mismatch = undefined;
    } else if (this.#xmlErrors < MAX_XML_ERRORS) {
      this.#problem(at, `XML syntax error: ${reason.toLowerCase()}`);
    }
    this.#xmlErrors += 1;
    parser.error = null as unknown as Error;
    parser.resume();
  }

  #problem(at: Position, message: string): void {
    this.#problems.push({ file: this.#file, at, severity: 'error', message });
  }
}

/** Reads ossec.conf text already in memory. */
export const readOssecConfText = (text: string, file: string): ReadResult => {
  const reader = new OssecConfReader(file);
  reader.write(text);
  return reader.end();
};

/**
 * Streams ossec.conf from disk through the SAX reader.
 * Rejects with the fs error (ENOENT, EACCES) when the file cannot be read.
 */
export const readOssecConf = async (file: string): Promise<ReadResult> => {
  const reader = new OssecConfReader(file);
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 64 * 1024 })) {
    reader.write(chunk as string);
  }
  return reader.end();
};
