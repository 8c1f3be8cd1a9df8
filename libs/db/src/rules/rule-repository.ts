import canonicalize from 'canonicalize';
import { sha256Hex } from '@qadaga/domain/hashing';
import type { NamedRuleVersion, RuleStatus, RuleSummary, RuleVersion } from '@qadaga/contracts/api';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';

export type { RuleStatus };

/** A stored version of a rule, as the API answers it (its contract is RuleVersion). */
export type StoredRuleVersion = RuleVersion;

/** A step of the review flow that is not allowed now, with the reason in words. */
export class RuleWorkflowError extends Error {
  constructor(
    message: string,
    readonly code: 'not_found' | 'wrong_status' | 'same_user' | 'published_immutable',
  ) {
    super(message);
  }
}

export function definitionHash(definition: object): string {
  return sha256Hex(canonicalize(definition) ?? '');
}

function toStored(row: {
  ruleId: string;
  version: number;
  status: string;
  definition: unknown;
  definitionHash: string;
  authorId: string;
  approvedBy: string | null;
  publishedBy: string | null;
  createdAt: Date;
  publishedAt: Date | null;
}): StoredRuleVersion {
  return {
    ruleId: row.ruleId,
    version: row.version,
    status: row.status as RuleStatus,
    definition: row.definition as RuleVersion['definition'],
    definitionHash: row.definitionHash,
    authorId: row.authorId,
    approvedBy: row.approvedBy,
    publishedBy: row.publishedBy,
    createdAt: row.createdAt.toISOString(),
    publishedAt: row.publishedAt?.toISOString() ?? null,
  };
}

const USER_ACTOR = /^user:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** The app_user id in a 'user:<uuid>' actor string; null for other actors. */
function userIdOf(actor: string): string | null {
  return USER_ACTOR.exec(actor)?.[1] ?? null;
}

/**
 * Rules are versioned: draft -> submitted -> approved (by someone other than the author)
 * -> published. Only a draft can be edited; publishing retires the previous version; a
 * published version never changes (the database refuses it too). Definitions arrive
 * here already validated by the rules library.
 */
export class RuleRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Saves a draft: edits the rule's open draft, or opens a new version. */
  async saveDraft(ruleId: string, definition: Record<string, unknown>, authorId: string): Promise<StoredRuleVersion> {
    return this.prisma.$transaction(async (tx) => {
      await tx.rule.upsert({ where: { id: ruleId }, create: { id: ruleId }, update: {} });
      const latest = await tx.ruleVersion.findFirst({ where: { ruleId }, orderBy: { version: 'desc' } });
      const hash = definitionHash(definition);
      if (latest !== null && latest.status === 'draft') {
        const row = await tx.ruleVersion.update({
          where: { ruleId_version: { ruleId, version: latest.version } },
          data: { definition: definition as object, definitionHash: hash, authorId },
        });
        return toStored(row);
      }
      const row = await tx.ruleVersion.create({
        data: { ruleId, version: (latest?.version ?? 0) + 1, status: 'draft', definition: definition as object, definitionHash: hash, authorId },
      });
      return toStored(row);
    });
  }

  async submit(ruleId: string, version: number): Promise<StoredRuleVersion> {
    return this.transition(ruleId, version, 'draft', 'submitted', {});
  }

  async approve(ruleId: string, version: number, approverId: string): Promise<StoredRuleVersion> {
    const current = await this.get(ruleId, version);
    if (current.authorId === approverId) {
      throw new RuleWorkflowError(`rule ${ruleId} v${version} was written by ${approverId}; another user must approve it`, 'same_user');
    }
    return this.transition(ruleId, version, 'submitted', 'approved', { approvedBy: approverId, approvedAt: new Date() });
  }

  async publish(ruleId: string, version: number, publisherId: string): Promise<StoredRuleVersion> {
    return this.prisma.$transaction(async (tx) => {
      const current = await tx.ruleVersion.findUnique({ where: { ruleId_version: { ruleId, version } } });
      if (current === null) throw new RuleWorkflowError(`no rule ${ruleId} v${version}`, 'not_found');
      if (current.status !== 'approved') throw new RuleWorkflowError(`rule ${ruleId} v${version} is ${current.status}; only an approved version can be published`, 'wrong_status');
      await tx.ruleVersion.updateMany({ where: { ruleId, status: 'published' }, data: { status: 'retired' } });
      const row = await tx.ruleVersion.update({
        where: { ruleId_version: { ruleId, version } },
        data: { status: 'published', publishedBy: publisherId, publishedAt: new Date() },
      });
      await tx.rule.update({ where: { id: ruleId }, data: { publishedVersion: version } });
      await supersedeOtherSubjects(tx, ruleId, version, publisherId, row.definition);
      return toStored(row);
    });
  }

  /**
   * Installs a built-in rule as a published version written and approved by the
   * system; later changes to it go through the review flow like any other rule.
   * Installing the same definition again changes nothing.
   */
  async installBuiltIn(ruleId: string, definition: Record<string, unknown>): Promise<StoredRuleVersion> {
    const hash = definitionHash(definition);
    const published = await this.published(ruleId);
    if (published !== null && published.definitionHash === hash) return published;
    const draft = await this.saveDraft(ruleId, definition, 'system:rule-pack');
    await this.submit(ruleId, draft.version);
    await this.transition(ruleId, draft.version, 'submitted', 'approved', { approvedBy: 'system:rule-pack', approvedAt: new Date() });
    return this.publish(ruleId, draft.version, 'system:rule-pack');
  }

  async get(ruleId: string, version: number): Promise<StoredRuleVersion> {
    const row = await this.prisma.ruleVersion.findUnique({ where: { ruleId_version: { ruleId, version } } });
    if (row === null) throw new RuleWorkflowError(`no rule ${ruleId} v${version}`, 'not_found');
    return toStored(row);
  }

  async published(ruleId: string): Promise<StoredRuleVersion | null> {
    const row = await this.prisma.ruleVersion.findFirst({ where: { ruleId, status: 'published' } });
    return row === null ? null : toStored(row);
  }

  async allPublished(): Promise<StoredRuleVersion[]> {
    const rows = await this.prisma.ruleVersion.findMany({ where: { status: 'published' }, orderBy: { ruleId: 'asc' } });
    return rows.map(toStored);
  }

  async versions(ruleId: string): Promise<StoredRuleVersion[]> {
    const rows = await this.prisma.ruleVersion.findMany({ where: { ruleId }, orderBy: { version: 'desc' } });
    return rows.map(toStored);
  }

  /**
   * Every version with the display names of its author, approver and publisher: actors are
   * stored as 'user:<uuid>', which a reader cannot place; an actor that is no user (a
   * system installing the pack) keeps its id as its name.
   */
  async namedVersions(ruleId: string): Promise<NamedRuleVersion[]> {
    const versions = await this.versions(ruleId);
    const actors = new Set(versions.flatMap((v) => [v.authorId, v.approvedBy, v.publishedBy]).filter((a): a is string => a !== null));
    const ids = [...actors].map(userIdOf).filter((id): id is string => id !== null);
    const users = ids.length === 0 ? [] : await this.prisma.appUser.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true } });
    const names = new Map(users.map((u) => [`user:${u.id}`, u.displayName]));
    const name = (actor: string) => names.get(actor) ?? actor;
    return versions.map((v) => ({
      ...v,
      authorName: name(v.authorId),
      approvedByName: v.approvedBy === null ? null : name(v.approvedBy),
      publishedByName: v.publishedBy === null ? null : name(v.publishedBy),
    }));
  }

  async list(): Promise<Pick<RuleSummary, 'ruleId' | 'publishedVersion' | 'latest'>[]> {
    const rules = await this.prisma.rule.findMany({ orderBy: { id: 'asc' }, include: { versions: { orderBy: { version: 'desc' }, take: 1 } } });
    return rules.map((r) => ({ ruleId: r.id, publishedVersion: r.publishedVersion, latest: r.versions[0] === undefined ? null : toStored(r.versions[0]) }));
  }

  private async transition(ruleId: string, version: number, from: RuleStatus, to: RuleStatus, data: Record<string, unknown>): Promise<StoredRuleVersion> {
    const result = await this.prisma.ruleVersion.updateMany({ where: { ruleId, version, status: from }, data: { status: to, ...(to === 'submitted' ? { submittedAt: new Date() } : {}), ...data } });
    if (result.count === 0) {
      const current = await this.get(ruleId, version);
      throw new RuleWorkflowError(`rule ${ruleId} v${version} is ${current.status}; it must be ${from} to become ${to}`, 'wrong_status');
    }
    return this.get(ruleId, version);
  }
}

/**
 * A version that judges another kind of subject than the one before (a per-violation rule
 * rolled up per unit) leaves the earlier version's open flags with no rule to refresh or
 * close them: they are dismissed in the same transaction, with the reason and a history
 * row, so the queue does not hold hundreds of flags that nothing judges any more. A flag
 * already in a case stays there.
 */
async function supersedeOtherSubjects(tx: Prisma.TransactionClient, ruleId: string, version: number, publisherId: string, definition: unknown): Promise<void> {
  const subject = (definition as { subject?: unknown }).subject;
  if (typeof subject !== 'string') return;
  const reason = `superseded by version ${version}, which judges ${subject} subjects; see its flags`;
  await tx.$executeRaw`
    WITH old AS (
      SELECT id, status FROM flag WHERE rule_id = ${ruleId} AND status IN ('new', 'triaged') AND subject_kind <> ${subject} FOR UPDATE
    ), moved AS (
      UPDATE flag f SET status = 'dismissed', status_reason = ${reason}, updated_at = now() FROM old WHERE f.id = old.id RETURNING f.id, old.status AS was
    )
    INSERT INTO flag_history (flag_id, actor, action, "from", "to", reason) SELECT id, ${publisherId}, 'status', was, 'dismissed', ${reason} FROM moved`;
}
