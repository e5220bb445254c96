// Team mode: while the agency server cannot be reached, say so and what still works.
import { useServerOnline } from '../live';

export function ConnectionBanner() {
  const online = useServerOnline();
  if (online) return null;
  return (
    <div className="error-box" role="alert" data-testid="server-offline">
      <strong>暂时无法连接本单位服务器。</strong>
      正在自动重试。已填写而未保存的内容仍在本页面中，请勿关闭或刷新页面；恢复连接后即可继续保存和提交。在此期间送审、审批等操作无法完成。
    </div>
  );
}
