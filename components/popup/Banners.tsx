import { browser } from 'wxt/browser';
import type { Banner } from '@/lib/presentation/banners';
import { formatClock, t } from '@/lib/presentation/i18n';

const openOptions = () => void browser.runtime.openOptionsPage();
const openTab = (url: string) => void browser.tabs.create({ url, active: true });

/** One banner: what happened, and a button for the one thing to do about it. */
function BannerView({ banner, now }: { banner: Banner; now: Date }) {
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
    case 'cainiao_backoff': {
      const since = formatClock(banner.since, now);
      const until = formatClock(banner.until, now);
      if (banner.reason === 'slider_check') return <p>{t('bannerCainiaoSlider', since, until)}</p>;
      if (banner.reason === 'http_error') return <p>{t('bannerCainiaoHttp', banner.status, since, until)}</p>;
      return <p>{t('bannerCainiaoOther', since, until)}</p>;
    }
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

const WARNINGS: readonly Banner['kind'][] = ['offline', 'page_unknown', 'changes_refused', 'cainiao_backoff'];

export function Banners({ banners, now }: { banners: readonly Banner[]; now: Date }) {
  return (
    <>
      {banners.map((b) => (
        <div key={b.kind} class={`banner ${WARNINGS.includes(b.kind) ? 'warn' : 'error'}`} role="alert" data-testid={`banner-${b.kind}`}>
          <BannerView banner={b} now={now} />
        </div>
      ))}
    </>
  );
}
