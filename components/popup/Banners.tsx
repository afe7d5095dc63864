import { browser } from 'wxt/browser';
import type { Banner } from '@/lib/presentation/banners';
import { t } from '@/lib/presentation/i18n';

const openOptions = () => void browser.runtime.openOptionsPage();
const openTab = (url: string) => void browser.tabs.create({ url, active: true });

/** One banner: what happened, and a button for the one thing to do about it. */
function BannerView({ banner }: { banner: Banner }) {
  switch (banner.kind) {
    case 'offline':
      return <p>{banner.waiting > 0 ? t('bannerOfflineWaiting', banner.waiting) : t('bannerOffline')}</p>;
    case 'login':
      return (
        <>
          <p>{t('bannerLogin')}</p>
          <button type="button" onClick={() => openTab(banner.url)}>
            {t('bannerLoginAction')}
          </button>
        </>
      );
    case 'bot_check':
      return (
        <>
          <p>{t('bannerBotCheck')}</p>
          <button type="button" onClick={() => openTab(banner.url)}>
            {t('bannerBotCheckAction')}
          </button>
        </>
      );
    case 'backend_unreachable':
      return <p>{banner.waiting > 0 ? t('bannerUnreachableWaiting', banner.waiting) : t('bannerUnreachable')}</p>;
    case 'token_rejected':
      return (
        <>
          <p>{t('bannerToken')}</p>
          <button type="button" onClick={openOptions}>
            {t('openSettings')}
          </button>
        </>
      );
    case 'not_configured':
      return (
        <>
          <p>{t('bannerNotConfigured')}</p>
          <button type="button" onClick={openOptions}>
            {t('openSettings')}
          </button>
        </>
      );
    case 'page_unknown':
      return (
        <>
          <p>{t('bannerPageUnknown')}</p>
          <button type="button" onClick={openOptions}>
            {t('bannerPageUnknownAction')}
          </button>
        </>
      );
    case 'sync_error':
      return <p>{t('bannerSyncError', banner.message)}</p>;
    case 'changes_refused':
      return (
        <>
          {banner.retrying > 0 && <p>{t('bannerChangesRefused', banner.retrying, banner.reason)}</p>}
          {banner.parked > 0 && (
            <>
              <p>{t('bannerChangesParked', banner.parked)}</p>
              <button type="button" onClick={openOptions}>
                {t('openSettings')}
              </button>
            </>
          )}
        </>
      );
  }
}

export function Banners({ banners }: { banners: readonly Banner[] }) {
  return (
    <>
      {banners.map((b) => (
        <div key={b.kind} class={`banner ${b.kind === 'offline' || b.kind === 'page_unknown' || b.kind === 'changes_refused' ? 'warn' : 'error'}`} role="alert" data-testid={`banner-${b.kind}`}>
          <BannerView banner={b} />
        </div>
      ))}
    </>
  );
}
