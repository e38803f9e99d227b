/** `2026-11-22 14:05:09 UTC` — ops compare times across teams, so everything is shown in UTC. */
export const dateTime = (iso: string | null | undefined) =>
  iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : '—';

/** Hours as the most readable unit: minutes under an hour, days past two. */
export const hours = (h: number | null | undefined) => {
  if (h === null || h === undefined) return '—';
  const abs = Math.abs(h);
  if (abs < 1 / 60) return `${Math.round(h * 3600)} s`;
  if (abs < 1) return `${Math.round(h * 60)} min`;
  if (abs < 48) return `${Math.round(h * 10) / 10} h`;
  return `${Math.round((h / 24) * 10) / 10} d`;
};

export const percent = (share: number | null | undefined) =>
  share === null || share === undefined ? '—' : `${Math.round(share * 1000) / 10}%`;

export const number = (n: number | null | undefined, places = 2) =>
  n === null || n === undefined ? '—' : String(Math.round(n * 10 ** places) / 10 ** places);

/** `awaiting_seller` → `awaiting seller`, `trust-and-safety` → `trust and safety`. */
export const words = (id: string | null | undefined) => (id ? id.replace(/[_-]+/g, ' ') : '—');

/** Milliseconds between two instants, as the Step Functions console's "elapsed" column shows them. */
export const elapsed = (fromIso: string | null | undefined, toIso: string | null | undefined) => {
  if (!fromIso || !toIso) return '—';
  const ms = Date.parse(toIso) - Date.parse(fromIso);
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
};
