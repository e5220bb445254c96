// 统计 (legal office head, agency heads): the figures of a period as the core counts them
// (services/stats.ts), each with what it counts, a chart of review outcomes by decision kind (ECharts),
// the reasons for returns, and the same figures as an .xlsx file.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { StatsView } from '../../../main/core/domain/views';
import { call } from '../api';
import { DateInput } from '../components/DateInput';
import { ErrorBox, Field, Loading } from '../components/common';
import { saveBase64 } from '../files';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

const todayInChina = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

function OutcomeChart({ s }: { s: StatsView }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current, undefined, { renderer: 'svg' });
    const kinds = s.byKind.filter((k) => k.opinions > 0 || k.submitted > 0);
    chart.setOption({
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { data: ['同意', '退回', '不同意'] },
      grid: { left: 40, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: kinds.map((k) => k.kindLabel) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: '同意', type: 'bar', stack: 'o', barMaxWidth: 64, data: kinds.map((k) => k.agree), itemStyle: { color: '#2e7d32' } },
        { name: '退回', type: 'bar', stack: 'o', barMaxWidth: 64, data: kinds.map((k) => k.return), itemStyle: { color: '#b26a00' } },
        { name: '不同意', type: 'bar', stack: 'o', barMaxWidth: 64, data: kinds.map((k) => k.disagree), itemStyle: { color: '#c62828' } },
      ],
    });
    const onResize = () => chart.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      chart.dispose();
    };
  }, [s]);
  return <div ref={ref} className="stats-chart" data-testid="stats-chart" role="img" aria-label="按决定类型的审核结论" style={{ width: '100%', height: 260 }} />;
}

export function Stats() {
  const today = todayInChina();
  const [from, setFrom] = useState(`${today.slice(0, 4)}-01-01`);
  const [to, setTo] = useState(today);
  const [s, setS] = useState<StatsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function load(xlsx = false) {
    setBusy(true);
    setError(null);
    const res = await call('stats.show', { from, to, xlsx });
    setBusy(false);
    if (!res.ok) return setError(res.error.message);
    setS(res.value);
    if (xlsx && res.value.base64) saveBase64(res.value.fileName, res.value.base64);
  }

  useEffect(() => {
    void load();
    // Only the first period loads by itself; later ones on 统计.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void load();
  };

  return (
    <div className="page" data-testid="stats-page">
      <div className="page-head">
        <h1>统计</h1>
        {s && <span className="muted" data-testid="stats-summary">{s.agencyName}，{s.from} 至 {s.to}（北京时间，含首尾两日）</span>}
      </div>
      <form className="filters" onSubmit={submit} data-testid="stats-form" style={{ display: 'flex', gap: 12, alignItems: 'flex-end', flexWrap: 'wrap' }}>
        <Field label="开始日期">{(id) => <DateInput id={id} value={from} onChange={setFrom} testId="stats-from" />}</Field>
        <Field label="结束日期">{(id) => <DateInput id={id} value={to} onChange={setTo} testId="stats-to" />}</Field>
        <button type="submit" data-testid="stats-submit" disabled={busy}>{busy ? '正在统计…' : '统计'}</button>
        <button type="button" data-testid="stats-xlsx" disabled={busy} onClick={() => void load(true)}>导出 Excel</button>
      </form>
      <ErrorBox message={error} />
      {!s && !error && <Loading />}
      {s && (
        <>
          {s.meetsReviewerRatio === false && <p className="error-box" role="alert" data-testid="stats-ratio-warning">法制审核人员不足执法人员的5%（004 三(五)）。</p>}
          <table className="table" data-testid="stats-figures">
            <thead><tr><th scope="col">指标</th><th scope="col">数值</th><th scope="col">口径（数据来源）</th></tr></thead>
            <tbody>
              {s.figures.map((f) => (
                <tr key={f.key} data-testid={`stats-${f.key}`}>
                  <td>{f.label}</td>
                  <td className="num">{f.value === null ? '—' : `${f.value}${f.unit}`}</td>
                  <td className="muted small">{f.source}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>按决定类型</h2>
          <OutcomeChart s={s} />
          <table className="table" data-testid="stats-by-kind">
            <thead><tr><th scope="col">决定类型</th><th scope="col">送审</th><th scope="col">审核意见</th><th scope="col">同意</th><th scope="col">退回</th><th scope="col">不同意</th><th scope="col">批准</th><th scope="col">不予批准</th></tr></thead>
            <tbody>
              {s.byKind.map((k) => (
                <tr key={k.kind}><td>{k.kindLabel}</td><td>{k.submitted}</td><td>{k.opinions}</td><td>{k.agree}</td><td>{k.return}</td><td>{k.disagree}</td><td>{k.approved}</td><td>{k.rejected}</td></tr>
              ))}
            </tbody>
          </table>
          <h2>退回原因</h2>
          {s.returnReasons.length === 0 ? <p className="muted">期间内没有退回。</p> : (
            <table className="table" data-testid="stats-reasons">
              <thead><tr><th scope="col">审核事项</th><th scope="col">次数</th></tr></thead>
              <tbody>{s.returnReasons.map((r) => <tr key={r.criterion}><td>{r.title}</td><td>{r.count}</td></tr>)}</tbody>
            </table>
          )}
          <p className="muted small">生成：{s.generatedBy}，{s.generatedAtLabel}（北京时间）。命令行：lrw stats --from {s.from} --to {s.to} --xlsx 文件.xlsx</p>
        </>
      )}
    </div>
  );
}
