import { toUtcInstant } from '@qadaga/domain';
import { parseIsoDateTime } from '../shared/date-time.js';
import type { Evaluation, Scalar, ValueScope } from '../mapping/evaluate-expression.js';
import { failure, missing, value } from '../mapping/evaluate-expression.js';
import type { Expr } from '../mapping/expression.js';
import type { XesAttribute, XesEvent, XesTrace } from '../xes/xes-model.js';

/** Reads a typed XES attribute as a mapping value; dates become UTC instants. */
function attributeValue(attribute: XesAttribute | undefined, label: string, timeZone: string | undefined): Evaluation {
  if (attribute === undefined) return missing(`${label} is absent`);
  switch (attribute.type) {
    case 'date': {
      if (attribute.value !== null) return value(toUtcInstant(attribute.value));
      const parsed = parseIsoDateTime(attribute.raw, timeZone);
      return parsed.ok ? value(toUtcInstant(parsed.instant)) : failure(`${label}: ${parsed.reason}`);
    }
    case 'int':
    case 'float':
    case 'boolean':
      return attribute.value === null ? failure(`${label} "${attribute.raw}" is not a valid ${attribute.type}`) : value(attribute.value);
    case 'list':
    case 'container':
      return failure(`${label} is a ${attribute.type}, not a single value`);
    case 'string':
    case 'id':
      return value(attribute.value);
  }
}

export interface XesScopeSettings {
  activityAttribute: string;
  timeZone: string | undefined;
  source: string;
}

/** The values one XES event can see: its own attributes, its trace's, other events of the trace, and trace variables. */
export class XesEventScope implements ValueScope {
  readonly timeZone: string | undefined;

  constructor(
    private readonly trace: XesTrace,
    private readonly event: XesEvent,
    private readonly variables: ReadonlyMap<string, Scalar>,
    private readonly settings: XesScopeSettings,
  ) {
    this.timeZone = settings.timeZone;
  }

  leaf(expr: Expr): Evaluation {
    if (expr.attr !== undefined) return attributeValue(this.event.attributes.get(expr.attr), `attribute "${expr.attr}"`, this.timeZone);
    if (expr.traceAttr !== undefined) {
      return attributeValue(this.trace.attributes.get(expr.traceAttr), `trace attribute "${expr.traceAttr}"`, this.timeZone);
    }
    if (expr.lookup !== undefined) return this.lookup(expr.lookup.activity, expr.lookup.attr);
    if (expr.var !== undefined) {
      return this.variables.has(expr.var)
        ? value(this.variables.get(expr.var) ?? null)
        : missing(`variable "${expr.var}" is not set by any earlier event of this trace`);
    }
    return failure(`expression ${JSON.stringify(expr)} has no XES source`);
  }

  placeholder(name: string): Evaluation {
    switch (name) {
      case 'eventIndex':
        return value(this.event.indexInTrace);
      case 'eventPosition':
        return value(this.event.position);
      case 'tracePosition':
        return value(this.trace.position);
      case 'source':
        return value(this.settings.source);
    }
    if (name.startsWith('trace:')) {
      const key = name.slice('trace:'.length);
      return attributeValue(this.trace.attributes.get(key), `trace attribute "${key}"`, this.timeZone);
    }
    const key = name.slice('event:'.length);
    return attributeValue(this.event.attributes.get(key), `attribute "${key}"`, this.timeZone);
  }

  /** The first event of that activity in the trace, before or after this one: outcomes are often recorded elsewhere. */
  private lookup(activity: string, key: string): Evaluation {
    const found = this.trace.events.find((e) => e.attributes.get(this.settings.activityAttribute)?.raw === activity);
    if (found === undefined) return missing(`no "${activity}" event in this trace`);
    return attributeValue(found.attributes.get(key), `attribute "${key}" of "${activity}"`, this.timeZone);
  }
}
