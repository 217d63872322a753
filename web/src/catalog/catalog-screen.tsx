import { useState } from 'react';
import { CATALOG_CSV_COLUMNS, CatalogImportReport, PROTOCOL_HEADER, PROTOCOL_VERSION } from '@bazaar/shared';
import { useOnline } from '../components/use-online';
import { downloadCsv } from '../dashboard/download';
import { useLanguage } from '../i18n/language';
import { apiFetch, freshAccessToken } from '../sync/api';
import { catalogStrings } from './catalog-strings';
import './catalog.css';
import { ProductForm } from './product-form';
import { ProductList } from './product-list';

/**
 * The admin's central catalog: its products (searched, edited, retired,
 * restored), a CSV import (checked first, applied on request, every refused
 * row listed with why), the export, a new product. Every store's devices
 * pull the changes.
 */
export default function CatalogScreen() {
  const c = catalogStrings[useLanguage().language];
  const online = useOnline();
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [report, setReport] = useState<CatalogImportReport | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Bumped when the catalog changed here, so the list reads it again.
  const [changed, setChanged] = useState(0);

  const send = async (text: string, dryRun: boolean) => {
    setBusy(true);
    setError(null);
    try {
      setReport(CatalogImportReport.parse(await apiFetch('/api/catalog/import', { method: 'POST', body: { csv: text, dryRun } })));
      if (!dryRun) setChanged((n) => n + 1);
    } catch (err) {
      setReport(null);
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const choose = async (chosen: File | undefined) => {
    setReport(null);
    if (!chosen) return setFile(null);
    const text = await chosen.text();
    setFile({ name: chosen.name, text });
    await send(text, true);
  };
  const exportCatalog = async () => {
    setError(null);
    try {
      const res = await fetch('/api/catalog/export', { headers: { authorization: `Bearer ${await freshAccessToken()}`, [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) } });
      if (!res.ok) throw new Error(`The server answered ${res.status}.`);
      downloadCsv(`catalog-${new Date().toISOString().slice(0, 10)}.csv`, await res.text());
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const changes = report ? report.created + report.updated : 0;

  return (
    <main className="catalog-screen">
      <h2>{c.title}</h2>
      {!online && <p className="notice">{c.needsNetwork}</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <ProductList reload={changed} />
      <ProductForm onSaved={() => setChanged((n) => n + 1)} />
      <section aria-label={c.importTitle} className="card">
        <h3>{c.importTitle}</h3>
        <p className="muted small">{c.importHelp(CATALOG_CSV_COLUMNS.join(', '))}</p>
        <label className="file-field">
          {c.chooseFile}
          <input type="file" accept=".csv,text/csv" disabled={!online || busy} onChange={(e) => void choose(e.target.files?.[0])} />
        </label>
        {busy && <p className="muted">{c.checking}</p>}
        {report && (
          <div className="import-report" role="status" aria-label={c.importTitle}>
            <p>
              {report.applied ? c.applied(report.created, report.updated) : c.checked(report.rows)}
            </p>
            <p className="import-counts">
              <span>{c.willCreate(report.created)}</span> · <span>{c.willUpdate(report.updated)}</span> · <span>{c.unchanged(report.unchanged)}</span> ·{' '}
              <span className={report.refused.length > 0 ? 'refused-count' : undefined}>{c.refusedCount(report.refused.length)}</span>
            </p>
            {!report.applied && file && changes > 0 && (
              <button type="button" className="primary" disabled={busy || !online} onClick={() => void send(file.text, false)}>
                {c.apply(changes)}
              </button>
            )}
            {report.refused.length > 0 && (
              <div className="table-scroll">
                <table className="data-table" aria-label={c.refusedTitle}>
                  <caption>{c.refusedTitle}</caption>
                  <thead>
                    <tr>
                      <th className="num">{c.line}</th>
                      <th>{c.sku}</th>
                      <th>{c.problems}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.refused.map((r) => (
                      <tr key={r.line}>
                        <td className="num">{r.line}</td>
                        <td>{r.sku ?? '—'}</td>
                        <td>{r.problems.join('; ')}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
        )}
      </section>
      <section aria-label={c.exportTitle} className="card">
        <h3>{c.exportTitle}</h3>
        <button type="button" className="secondary" disabled={!online} onClick={() => void exportCatalog()}>
          {c.export}
        </button>
      </section>
    </main>
  );
}
