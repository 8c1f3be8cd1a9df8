import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { XesAttribute, XesAttributes, XesAttributeType, XesEvent, XesLogHeader, XesTrace } from './xes-model.js';
import { isXesAttributeElement, makeXesAttribute } from './xes-values.js';

/**
 * What each open element is, so a closing tag knows what it finishes and an attribute
 * element knows where it belongs. Elements the reader does not know (a vendor's
 * extension element) are skipped with everything inside them.
 */
type Frame =
  | { kind: 'log' | 'global' | 'trace' | 'event'; attributes: XesAttributes }
  | { kind: 'attribute'; attribute: XesAttribute }
  /** XES 1.0 list items sit inside <values>; the items belong to the list around it. */
  | { kind: 'list-values'; owner: XesAttribute }
  | { kind: 'skipped' };

function emptyHeader(): XesLogHeader {
  return {
    extensions: [],
    classifiers: [],
    traceGlobals: new Map(),
    eventGlobals: new Map(),
    attributes: new Map(),
  };
}

function childrenOf(attribute: XesAttribute): XesAttributes {
  attribute.children ??= new Map();
  return attribute.children;
}

/** Fills keys the element lacks from the <global> defaults, marked so they stay distinguishable. */
function applyGlobals(target: XesAttributes, globals: XesAttributes): void {
  for (const [key, global] of globals) {
    if (!target.has(key)) target.set(key, { ...global, fromGlobal: true });
  }
}

/**
 * Turns XES text, written to it chunk by chunk, into whole traces. Completed traces
 * wait in a queue until the caller takes them, so memory holds one chunk plus the
 * traces of that chunk, whatever the size of the log.
 */
export class XesDocumentBuilder {
  private readonly parser: SaxesParser<{ xmlns: false }>;
  private readonly stack: Frame[] = [];
  private readonly completed: XesTrace[] = [];
  private readonly logHeader: XesLogHeader = emptyHeader();
  private headerComplete = false;
  private trace: XesTrace | undefined;
  private event: XesEvent | undefined;
  private traceCount = 0;
  private eventCount = 0;
  private sawLog = false;

  constructor(fileName: string) {
    this.parser = new SaxesParser({ xmlns: false, fileName });
    this.parser.on('opentag', (tag) => this.open(tag));
    this.parser.on('closetag', () => this.close());
  }

  /** The log header, once the first trace (or the end of the log) has been reached. */
  get header(): XesLogHeader | undefined {
    return this.headerComplete ? this.logHeader : undefined;
  }

  get tracesRead(): number {
    return this.traceCount;
  }

  get eventsRead(): number {
    return this.eventCount;
  }

  write(chunk: string): void {
    this.parser.write(chunk);
  }

  /** Ends the document: saxes checks well-formedness (an unclosed <log> fails here). */
  end(): void {
    this.parser.close();
    if (!this.sawLog) throw new Error('not an XES document: no <log> element');
    this.headerComplete = true;
  }

  takeTraces(): XesTrace[] {
    return this.completed.splice(0, this.completed.length);
  }

  private open(tag: SaxesTagPlain): void {
    const parent = this.stack[this.stack.length - 1];
    if (parent?.kind === 'skipped') {
      this.stack.push({ kind: 'skipped' });
      return;
    }
    const attrs = tag.attributes;
    const name = tag.name;
    if (isXesAttributeElement(name)) {
      this.stack.push(this.openAttribute(parent, name, attrs));
      return;
    }
    switch (name) {
      case 'log':
        this.sawLog = true;
        if (attrs['xes.version'] !== undefined) this.logHeader.xesVersion = attrs['xes.version'];
        if (attrs['xes.features'] !== undefined) this.logHeader.features = attrs['xes.features'];
        this.stack.push({ kind: 'log', attributes: this.logHeader.attributes });
        return;
      case 'extension':
        this.logHeader.extensions.push({ name: attrs['name'] ?? '', prefix: attrs['prefix'] ?? '', uri: attrs['uri'] ?? '' });
        this.stack.push({ kind: 'skipped' });
        return;
      case 'classifier': {
        const scope = attrs['scope'];
        this.logHeader.classifiers.push({ name: attrs['name'] ?? '', keys: attrs['keys'] ?? '', ...(scope === undefined ? {} : { scope }) });
        this.stack.push({ kind: 'skipped' });
        return;
      }
      case 'global':
        // The standard's default scope for a <global> without one is "event".
        this.stack.push({
          kind: 'global',
          attributes: attrs['scope'] === 'trace' ? this.logHeader.traceGlobals : this.logHeader.eventGlobals,
        });
        return;
      case 'trace':
        this.headerComplete = true;
        this.traceCount += 1;
        this.trace = { position: this.traceCount, attributes: new Map(), events: [] };
        this.stack.push({ kind: 'trace', attributes: this.trace.attributes });
        return;
      case 'event':
        if (this.trace === undefined) {
          // XES 2.0 forbids events outside traces; refusing beats attaching them to a made-up trace.
          this.parser.fail('<event> outside a <trace> is not supported');
          this.stack.push({ kind: 'skipped' });
          return;
        }
        this.eventCount += 1;
        this.event = { position: this.eventCount, indexInTrace: this.trace.events.length, attributes: new Map() };
        this.stack.push({ kind: 'event', attributes: this.event.attributes });
        return;
      case 'values':
        if (parent?.kind === 'attribute') {
          this.stack.push({ kind: 'list-values', owner: parent.attribute });
          return;
        }
        this.stack.push({ kind: 'skipped' });
        return;
      default:
        this.stack.push({ kind: 'skipped' });
    }
  }

  private openAttribute(parent: Frame | undefined, type: XesAttributeType, attrs: Record<string, string>): Frame {
    const key = attrs['key'];
    if (parent === undefined) {
      this.parser.fail(`<${type}> cannot be the root element of an XES document`);
      return { kind: 'skipped' };
    }
    if (key === undefined) {
      this.parser.fail(`<${type}> without a key`);
      return { kind: 'skipped' };
    }
    const attribute = makeXesAttribute(type, key, attrs['value'] ?? '');
    const owner = parent.kind === 'attribute' ? parent.attribute : parent.kind === 'list-values' ? parent.owner : undefined;
    if (owner !== undefined) {
      const children = childrenOf(owner);
      // A list's items may all share one key, so they are kept by position instead.
      children.set(owner.type === 'list' ? String(children.size) : key, attribute);
    } else if (parent.kind === 'log' || parent.kind === 'global' || parent.kind === 'trace' || parent.kind === 'event') {
      // Keys are unique per element in valid XES; should a writer repeat one, the later value
      // wins, as in OpenXES's attribute maps.
      parent.attributes.set(key, attribute);
    }
    return { kind: 'attribute', attribute };
  }

  private close(): void {
    const frame = this.stack.pop();
    if (frame === undefined) return;
    if (frame.kind === 'event' && this.event !== undefined && this.trace !== undefined) {
      applyGlobals(this.event.attributes, this.logHeader.eventGlobals);
      this.trace.events.push(this.event);
      this.event = undefined;
    } else if (frame.kind === 'trace' && this.trace !== undefined) {
      applyGlobals(this.trace.attributes, this.logHeader.traceGlobals);
      this.completed.push(this.trace);
      this.trace = undefined;
    } else if (frame.kind === 'log') {
      this.headerComplete = true;
    }
  }
}
