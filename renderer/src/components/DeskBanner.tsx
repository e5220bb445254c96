// The desktop's connection banner (issue 14, point 2): in server mode, when the agency server cannot
// be reached, says so and what still works; counts the changes kept on this desk; and lists the ones
// the server refused because someone else changed the record meanwhile, for their author to resolve.
// Only in the desktop app (window.api.desk); the main process sends every change of state.
import { useCallback, useEffect, useState } from 'react';
import type { DeskStatus, QueueItem } from '../../../preload/desk';
import { fmtDateTime } from '../format';
import { deskApi } from '../screens/TeamChoice';

const RECORD_LABELS: Record<string, string> = { drafts: '草稿', review: '审核意见草稿', meeting: '会议记录' };

function recordLabel(key: string): string {
  const [kind, id] = key.split(':');
  return `${RECORD_LABELS[kind ?? ''] ?? '记录'}${kind === 'drafts' ? '' : `（编号 ${id}）`}`;
}

export function DeskBanner() {
  const desk = deskApi();
  const [status, setStatus] = useState<DeskStatus | null>(null);
  const [kept, setKept] = useState<QueueItem[]>([]);

  const loadKept = useCallback(async () => {
    if (!desk) return;
    const q = await desk.queue();
    if (q.ok) setKept(q.value.filter((i) => i.state === 'conflict' || i.state === 'rejected'));
  }, [desk]);

  useEffect(() => {
    if (!desk) return;
    let live = true;
    void desk.status().then((r) => live && r.ok && setStatus(r.value));
    const off = desk.onStatus((s) => {
      setStatus(s);
      void loadKept();
    });
    void loadKept();
    return () => {
      live = false;
      off();
    };
  }, [desk, loadKept]);

  if (!desk || !status || status.mode !== 'server') return null;
  const offline = status.reachable === false;
  if (!offline && status.unsent === 0 && kept.length === 0) return null;
  return (
    <section className="lastday-banner" role="status" data-testid="desk-banner">
      <div>
        {offline ? (
          <>
            <strong>本单位服务器连接中断。</strong> {status.message}
            <div>
              仍可继续填写：审核意见草稿、案件草稿和会议记录会自动保存在本机，连接恢复后按顺序自动发送；提交、审批、出具文书等操作须待连接恢复。
            </div>
          </>
        ) : (
          status.unsent > 0 && <strong>已恢复连接，正在发送本机保存的内容…</strong>
        )}
        {status.unsent > 0 && <div data-testid="desk-unsent">本机尚未发送的修改：{status.unsent} 项。</div>}
        {kept.length > 0 && (
          <div data-testid="desk-conflicts">
            <strong>以下在本机保存的修改未被服务器接受，请处理：</strong>
            <ul>
              {kept.map((i) => (
                <li key={i.seq}>
                  {recordLabel(i.recordKey)}，本机保存于 {fmtDateTime(i.deskTime)}：{i.error?.message}{' '}
                  <details>
                    <summary>查看本机保存的内容（可选中复制，刷新记录后重新填写）</summary>
                    <pre className="desk-kept">{JSON.stringify(i.input, null, 2)}</pre>
                  </details>
                  <button
                    type="button"
                    onClick={() => {
                      void desk.discard({ recordKey: i.recordKey }).then(() => loadKept());
                    }}
                  >
                    已处理，放弃本机内容
                  </button>
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </section>
  );
}
