import type { ReactNode } from 'react';
import { Pager } from '../dashboard/parts';
import { useOnline } from '../components/use-online';
import './admin.css';

export type Note = { ok: boolean; text: string } | null;

/** A page of the server's records (products, stores, users): searched, filtered, a table, the pager. */
export function ListCard<Row>(props: {
  label: string;
  /** Show the label as the card's heading (when the screen's own title is another). */
  heading?: boolean;
  search: { label: string; hint: string; value: string; onChange: (value: string) => void };
  filters?: ReactNode;
  /** The list could not be read, or what the last action on a row did. */
  error: string | null;
  note?: Note;
  list: { rows: Row[]; page: number; pageSize: number; total: number } | null;
  empty: string;
  className?: string;
  head: ReactNode;
  row: (row: Row) => ReactNode;
  onPage: (page: number) => void;
}) {
  const { list, note, error } = props;
  return (
    <section aria-label={props.label} className="card">
      {props.heading && <h3>{props.label}</h3>}
      <div className="admin-filters">
        <label className="search">
          <span>{props.search.label}</span>
          <input type="search" value={props.search.value} placeholder={props.search.hint} onChange={(e) => props.search.onChange(e.target.value)} autoComplete="off" />
        </label>
        {props.filters}
      </div>
      <Message note={error ? { ok: false, text: error } : (note ?? null)} notice />
      {list &&
        (list.rows.length === 0 ? (
          <p className="muted empty">{props.empty}</p>
        ) : (
          <div className="table-scroll">
            <table className={`data-table admin-table ${props.className ?? ''}`} aria-label={props.label}>
              <thead>
                <tr>{props.head}</tr>
              </thead>
              <tbody>{list.rows.map(props.row)}</tbody>
            </table>
          </div>
        ))}
      {list && <Pager page={list.page} pageSize={list.pageSize} total={list.total} onPage={props.onPage} />}
    </section>
  );
}

/** What a form or an action did: a status when it worked, an alert when not. */
export function Message({ note, notice = false }: { note: Note; notice?: boolean }) {
  if (!note) return null;
  return (
    <p className={note.ok ? (notice ? 'notice' : 'ok') : notice ? 'error' : 'field-error'} role={note.ok ? 'status' : 'alert'}>
      {note.text}
    </p>
  );
}

/** A form's end: what it did, its submit button (waiting for the network), and Close when it is open in a row. */
export function FormFooter({ note, submit, close, busy = false, onClose }: { note: Note; submit: string; close: string; busy?: boolean; onClose?: (() => void) | undefined }) {
  const online = useOnline();
  return (
    <>
      <Message note={note} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={!online || busy}>
          {submit}
        </button>
        {onClose && (
          <button type="button" className="secondary" onClick={onClose}>
            {close}
          </button>
        )}
      </div>
    </>
  );
}

/** The row below a record, holding its edit form. */
export function EditRow({ columns, children }: { columns: number; children: ReactNode }) {
  return (
    <tr className="edit-row">
      <td colSpan={columns}>{children}</td>
    </tr>
  );
}
