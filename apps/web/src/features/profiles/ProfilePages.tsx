import { useQuery } from '@tanstack/react-query';
import { ActorPlacesMap } from '../places/ActorPlacesMap.js';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { districtText, eventTypeText, officerRoleText, ruleText, violationStatusText } from '../../i18n/vocabulary.js';
import { Link, useNavigate, useParams } from 'react-router';
import { Area, Bar, BarChart, CartesianGrid, ComposedChart, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { profileEndpoints, type CameraProfile, type FlagBrief, type OfficerProfile, type VehicleProfile } from '@qadaga/contracts/api';
import { call, pathOf } from '../../api/call.js';
import { DataState } from '../../components/DataState.js';
import { Plate } from '../../components/Plate.js';
import { SubjectLinks } from '../../components/SubjectLinks.js';
import { useFormat } from '../../format/format.js';
import { SEVERITY_KEYS } from '../flags/labels.js';

/** One profile, cached under its path. */
const useProfile = <T,>(path: string, read: () => Promise<T>) => useQuery({ queryKey: ['profile', path], queryFn: read });

export function ProfileSearchPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [kind, setKind] = useState<'officer' | 'vehicle' | 'camera'>('officer');
  const [id, setId] = useState('');
  return (
    <section>
      <h1>{t('profile.title')}</h1>
      <form
        className="inline-form"
        aria-label={t('profile.find')}
        onSubmit={(e) => {
          e.preventDefault();
          if (id.trim() !== '') navigate(`/profiles/${kind}/${encodeURIComponent(id.trim())}`);
        }}
      >
        <label>
          {t('profile.kind')}
          <select value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
            <option value="officer">{t('subjectKind.officer')}</option>
            <option value="vehicle">{t('subjectKind.vehicle')}</option>
            <option value="camera">{t('subjectKind.camera')}</option>
          </select>
        </label>
        <label>
          {t('profile.id')}
          <input value={id} onChange={(e) => setId(e.target.value)} />
        </label>
        <button type="submit">{t('profile.open')}</button>
      </form>
      <p className="muted">{t('profile.recorded')}</p>
    </section>
  );
}

function OpenFlags({ flags }: { flags: FlagBrief[] }) {
  const { t, i18n } = useTranslation();
  return (
    <section aria-labelledby="profile-flags">
      <h2 id="profile-flags">{t('profile.openFlags', { count: flags.length })}</h2>
      <ul>
        {flags.map((f) => (
          <li key={f.id}>
            <span className={`badge sev-${f.severity}`}>{t(SEVERITY_KEYS[f.severity as keyof typeof SEVERITY_KEYS] ?? 'severity.low')}</span>{' '}
            <Link to={`/flags/${f.id}`}>{ruleText(f.scheme, f.ruleId, t)}</Link> <span className="muted">{f.explanation[i18n.language] ?? f.explanation['en']}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function OfficerProfilePage() {
  const { id = '' } = useParams();
  const profile = useProfile(pathOf(profileEndpoints.officer, { id }), () => call(profileEndpoints.officer, { params: { id } }));
  return <DataState query={profile}>{(p) => <OfficerProfileView profile={p} />}</DataState>;
}

export function OfficerProfileView({ profile }: { profile: OfficerProfile }) {
  const { t } = useTranslation();
  const f = useFormat();
  const peerByMonth = new Map(profile.peers.months.map((m) => [m.month, m]));
  const data = profile.months.map((m) => {
    const peer = peerByMonth.get(m.month);
    return {
      month: m.month,
      officer: m.adverseRate,
      median: peer?.median ?? null,
      band: peer?.p25 === null || peer?.p25 === undefined || peer.p75 === null ? null : [peer.p25, peer.p75],
    };
  });
  const pct = (v: unknown) => (typeof v === 'number' ? f.percent(v) : Array.isArray(v) ? v.map((x) => f.percent(Number(x))).join(' – ') : '');
  return (
    <article>
      <h1>
        {t('profile.officer')} {profile.officer.id}
      </h1>
      <p className="muted">
        {profile.officer.unit !== null && (
          <>
            <Link to={`/profiles/unit/${encodeURIComponent(profile.officer.unit)}`}>{profile.officer.unit}</Link> ·{' '}
          </>
        )}
        {profile.officer.role === null ? '' : `${officerRoleText(profile.officer.role, t)} · `}
        {f.date(profile.period.from)} – {f.date(profile.period.to)}
        {!profile.officer.inRoster && <> · {t('profile.notInRoster')}</>}
      </p>
      <figure className="chart" aria-label={t('profile.rateChart')}>
        <figcaption>{t('profile.rateChart')}</figcaption>
        <ResponsiveContainer width="100%" height={280}>
          <ComposedChart data={data}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="month" />
            <YAxis tickFormatter={pct} />
            <Tooltip formatter={(v) => pct(v)} />
            <Legend />
            <Area dataKey="band" name={t('profile.peerBand')} fill="#aed6f1" stroke="none" isAnimationActive={false} />
            <Line dataKey="median" name={t('profile.peerMedian')} stroke="#2c7fb8" dot={false} isAnimationActive={false} />
            <Line dataKey="officer" name={t('profile.thisOfficer')} stroke="#c0392b" strokeWidth={2} isAnimationActive={false} />
          </ComposedChart>
        </ResponsiveContainer>
      </figure>
      <table className="grid compact" aria-label={t('profile.months')}>
        <thead>
          <tr>
            <th scope="col">{t('profile.month')}</th>
            <th scope="col">{t('profile.reviews')}</th>
            <th scope="col">{t('profile.confirmations')}</th>
            <th scope="col">{t('profile.rejections')}</th>
            <th scope="col">{t('profile.cancellations')}</th>
            <th scope="col">{t('profile.amendments')}</th>
            <th scope="col">{t('profile.adverseRate')}</th>
          </tr>
        </thead>
        <tbody>
          {profile.months.map((m) => (
            <tr key={m.month}>
              <td>{m.month}</td>
              <td className="num">{m.reviews}</td>
              <td className="num">{m.confirmations}</td>
              <td className="num">{m.rejections}</td>
              <td className="num">{m.cancellations}</td>
              <td className="num">{m.amendments}</td>
              <td className="num">{m.adverseRate === null ? '—' : f.percent(m.adverseRate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <section aria-labelledby="recent-actions">
        <h2 id="recent-actions">{t('profile.recent')}</h2>
        <table className="grid compact" aria-label={t('profile.recent')}>
          <tbody>
            {profile.recent.map((r, i) => (
              <tr key={`${r.ref}-${i}`}>
                <td>{f.dateTime(r.at)}</td>
                <td>{eventTypeText(r.action, t)}</td>
                <td>
                  <Link to={`/violations/${encodeURIComponent(r.ref)}`}>{r.ref}</Link>
                </td>
                <td>{r.plate === null ? '—' : <SubjectLinks kind="vehicle" id={r.plate} />}</td>
                <td>{r.status === null ? '' : violationStatusText(r.status, t)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <ActorPlacesMap kind="officer" id={profile.officer.id} />
      <OpenFlags flags={profile.flags} />
    </article>
  );
}

/** Says plainly that something was left out, and why: a reader must not take a withheld list for the whole. */
function Withheld({ count }: { count: number }) {
  const { t } = useTranslation();
  if (count === 0) return null;
  return (
    <p className="notice" role="note">
      {t('profile.withheld', { count })}
    </p>
  );
}

/** A unit as a place on the map: where its officers' actions happened. */
export function UnitProfilePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  return (
    <article>
      <h1>
        {t('profile.unit')} {id}
      </h1>
      <ActorPlacesMap kind="unit" id={id} />
    </article>
  );
}

export function VehicleProfilePage() {
  const { plate = '' } = useParams();
  const profile = useProfile(pathOf(profileEndpoints.vehicle, { plate }), () => call(profileEndpoints.vehicle, { params: { plate } }));
  return <DataState query={profile}>{(p) => <VehicleProfileView profile={p} />}</DataState>;
}

const STATUS_COLOURS = ['#2c7fb8', '#c0392b', '#27ae60', '#d68910', '#8e44ad', '#7f8c8d', '#16a085', '#e67e22'];

export function VehicleProfileView({ profile }: { profile: VehicleProfile }) {
  const { t } = useTranslation();
  const f = useFormat();
  const statuses = [...new Set(profile.months.flatMap((m) => Object.keys(m.byStatus)))].sort();
  const data = profile.months.map((m) => ({ month: m.month, ...m.byStatus }));
  return (
    <article>
      <h1>
        {t('profile.vehicle')} <Plate value={profile.plate.received} />
      </h1>
      <Withheld count={profile.withheldForRecusal} />
      <p className="muted">
        {t('profile.seenAs')}: {profile.plate.seenAs.join(', ')} · {profile.registered === null ? t('profile.unregistered') : `${t('profile.registered')}: ${profile.registered.kind}`} ·{' '}
        {t('profile.violations', { count: profile.totals.violations })}
      </p>
      <figure className="chart" aria-label={t('profile.byMonth')}>
        <figcaption>{t('profile.byMonth')}</figcaption>
        <ResponsiveContainer width="100%" height={260}>
          <BarChart data={data}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="month" />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            {statuses.map((s, i) => (
              <Bar key={s} dataKey={s} name={violationStatusText(s, t)} stackId="s" fill={STATUS_COLOURS[i % STATUS_COLOURS.length]} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </figure>
      <div className="two-columns">
        <section aria-labelledby="vehicle-cancellations">
          <h2 id="vehicle-cancellations">{t('profile.cancellationsList', { count: profile.cancellations.length })}</h2>
          <table className="grid compact" aria-label={t('profile.cancellationsList', { count: profile.cancellations.length })}>
            <tbody>
              {profile.cancellations.map((c) => (
                <tr key={c.ref}>
                  <td>{f.dateTime(c.at)}</td>
                  <td>
                    <Link to={`/violations/${encodeURIComponent(c.ref)}`}>{c.ref}</Link>
                  </td>
                  <td>
                    <SubjectLinks kind="officer" id={c.officerId} />
                  </td>
                  <td>{c.reasonCode ?? '—'}</td>
                  <td>{c.legalBasis ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <OfficersTable officers={profile.officers} />
      </div>
      <OpenFlags flags={profile.flags} />
    </article>
  );
}

function OfficersTable({ officers }: { officers: { officerId: string; reviews?: number; confirmations: number; rejections: number; cancellations: number; amendments?: number }[] }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="who-handled">
      <h2 id="who-handled">{t('profile.whoHandled')}</h2>
      <table className="grid compact" aria-label={t('profile.whoHandled')}>
        <thead>
          <tr>
            <th scope="col">{t('subjectKind.officer')}</th>
            <th scope="col">{t('profile.confirmations')}</th>
            <th scope="col">{t('profile.rejections')}</th>
            <th scope="col">{t('profile.cancellations')}</th>
          </tr>
        </thead>
        <tbody>
          {officers.map((o) => (
            <tr key={o.officerId}>
              <td>
                <SubjectLinks kind="officer" id={o.officerId} />
              </td>
              <td className="num">{o.confirmations}</td>
              <td className="num">{o.rejections}</td>
              <td className="num">{o.cancellations}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function CameraProfilePage() {
  const { id = '' } = useParams();
  const profile = useProfile(pathOf(profileEndpoints.camera, { id }), () => call(profileEndpoints.camera, { params: { id } }));
  return <DataState query={profile}>{(p) => <CameraProfileView profile={p} />}</DataState>;
}

export function CameraProfileView({ profile }: { profile: CameraProfile }) {
  const { t } = useTranslation();
  const f = useFormat();
  const a = profile.adverse;
  return (
    <article>
      <h1>
        {t('profile.camera')} {profile.camera.id}
      </h1>
      <p className="muted">
        {profile.camera.district === null ? '—' : districtText(profile.camera.district, t)} · {f.date(profile.period.from)} – {f.date(profile.period.to)}
      </p>
      <Withheld count={profile.withheldForRecusal} />
      <p>
        {t('profile.cameraAdverse', {
          share: a.share === null ? '—' : f.percent(a.share),
          median: a.allCamerasMedian === null ? '—' : f.percent(a.allCamerasMedian),
          cameras: a.cameras,
          detections: a.detections,
        })}
      </p>
      <figure className="chart" aria-label={t('profile.byWeek')}>
        <figcaption>{t('profile.byWeek')}</figcaption>
        <ResponsiveContainer width="100%" height={260}>
          <LineChart data={profile.weeks}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="week" />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            <Line dataKey="detections" name={t('profile.detections')} stroke="#2c7fb8" dot={false} isAnimationActive={false} />
            <Line dataKey="rejected" name={t('profile.rejections')} stroke="#d68910" dot={false} isAnimationActive={false} />
            <Line dataKey="cancelled" name={t('profile.cancellations')} stroke="#c0392b" dot={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </figure>
      <OfficersTable officers={profile.officers} />
      <OpenFlags flags={profile.flags} />
    </article>
  );
}
