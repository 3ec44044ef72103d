/* The chat page: gets a token for one new conversation, then runs Web Chat against the Direct Line
   endpoint the server names (its own, or Azure's). Latvian by default; LV / EN switch the page and
   tell the assistant with a "setLanguage" event. */
(function () {
  'use strict';

  var STRINGS = {
    lv: {
      title: 'IeM IC asistents — Iekšlietu ministrijas Informācijas centrs',
      centre: 'Iekšlietu ministrijas Informācijas centrs',
      heading: 'Virtuālais asistents',
      skip: 'Pāriet uz sarunu',
      language: 'Valoda',
      chat: 'Saruna ar asistentu',
      connecting: 'Savienojas ar asistentu…',
      failed: 'Neizdevās savienoties ar asistentu. Lūdzu, mēģiniet vēlāk vai zvaniet +371 67208218.',
      phone: 'Tālrunis',
      email: 'E-pasts'
    },
    en: {
      title: 'IeM IC assistant — Information Centre of the Ministry of the Interior',
      centre: 'Information Centre of the Ministry of the Interior',
      heading: 'Virtual assistant',
      skip: 'Skip to the conversation',
      language: 'Language',
      chat: 'Conversation with the assistant',
      connecting: 'Connecting to the assistant…',
      failed: 'Could not connect to the assistant. Please try later or call +371 67208218.',
      phone: 'Phone',
      email: 'E-mail'
    }
  };
  var LOCALES = { lv: 'lv-LV', en: 'en-US' };
  var TOKEN_URL = 'api/directline/token';

  // Colours chosen for WCAG 2.1 AA: every text/background pair is at least 4.5:1 (most above 7:1).
  var NAVY = '#00467F';
  var STYLE_OPTIONS = {
    accent: NAVY,
    backgroundColor: '#FFFFFF',
    primaryFont: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
    subtle: '#505050',
    timestampColor: '#505050',
    bubbleBackground: '#F0F2F5',
    bubbleBorderColor: '#C4C8CE',
    bubbleBorderWidth: 1,
    bubbleTextColor: '#1B1B1B',
    bubbleFromUserBackground: NAVY,
    bubbleFromUserBorderColor: NAVY,
    bubbleFromUserTextColor: '#FFFFFF',
    hideUploadButton: true,
    sendBoxTextColor: '#1B1B1B',
    sendBoxPlaceholderColor: '#595959',
    sendBoxButtonColor: NAVY,
    sendBoxButtonColorOnHover: '#002B4E',
    sendBoxBorderTop: 'solid 1px #767676',
    suggestedActionLayout: 'flow',
    suggestedActionBackgroundColor: '#FFFFFF',
    suggestedActionBorderColor: NAVY,
    suggestedActionBorderWidth: 2,
    suggestedActionTextColor: NAVY,
    suggestedActionBackgroundColorOnHover: '#E6EEF5',
    transcriptVisualKeyboardIndicatorColor: NAVY,
    transcriptVisualKeyboardIndicatorWidth: 3,
    transcriptActivityVisualKeyboardIndicatorColor: NAVY,
    transcriptActivityVisualKeyboardIndicatorWidth: 3
  };

  function initialLanguage() {
    var asked = new URLSearchParams(window.location.search).get('lang');
    if (asked === 'lv' || asked === 'en') return asked;
    try {
      var kept = window.sessionStorage.getItem('iemic.lang');
      if (kept === 'lv' || kept === 'en') return kept;
    } catch (e) { /* storage may be blocked in an iframe */ }
    return 'lv';
  }

  var lang = initialLanguage();
  var startLang = lang;
  var container = document.getElementById('webchat');
  var statusLine = document.getElementById('status');
  var directLine = null;
  var store = null;
  var connected = false;

  function applyChrome() {
    var s = STRINGS[lang];
    document.documentElement.lang = lang;
    document.title = s.title;
    Array.prototype.forEach.call(document.querySelectorAll('[data-i18n]'), function (el) {
      el.textContent = s[el.getAttribute('data-i18n')];
    });
    Array.prototype.forEach.call(document.querySelectorAll('[data-i18n-aria]'), function (el) {
      el.setAttribute('aria-label', s[el.getAttribute('data-i18n-aria')]);
    });
    Array.prototype.forEach.call(document.querySelectorAll('[data-lang]'), function (button) {
      button.setAttribute('aria-pressed', String(button.getAttribute('data-lang') === lang));
    });
  }

  function showStatus(key) {
    statusLine.hidden = !key;
    statusLine.setAttribute('data-status', key);
    statusLine.textContent = key ? STRINGS[lang][key] : '';
  }

  function sendLanguage() {
    store.dispatch({ type: 'WEB_CHAT/SEND_EVENT', payload: { name: 'setLanguage', value: lang } });
  }

  function render() {
    window.WebChat.renderWebChat({
      directLine: directLine,
      store: store,
      locale: LOCALES[lang],
      role: 'region',
      styleOptions: STYLE_OPTIONS
    }, container);
  }

  function setLanguage(next) {
    if (next === lang) return;
    lang = next;
    try { window.sessionStorage.setItem('iemic.lang', lang); } catch (e) { /* ignore */ }
    applyChrome();
    showStatus(statusLine.getAttribute('data-status') || '');
    if (store && connected) sendLanguage();
    if (directLine) render();
  }

  async function start() {
    var response = await fetch(TOKEN_URL, { method: 'POST', headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error('token request answered ' + response.status);
    var grant = await response.json();
    // The domain may be relative to this server (the local Direct Line) or absolute (Azure's).
    var domain = new URL(grant.domain, new URL(TOKEN_URL, window.location.href)).href.replace(/\/$/, '');
    directLine = window.WebChat.createDirectLine({
      domain: domain,
      token: grant.token,
      webSocket: false,
      conversationStartProperties: { locale: LOCALES[lang] }
    });
    store = window.WebChat.createStore({}, function () {
      return function (next) {
        return function (action) {
          var result = next(action);
          if (action.type === 'DIRECT_LINE/CONNECT_FULFILLED') {
            connected = true;
            container.setAttribute('data-connected', 'true');
            showStatus('');
            // The language was switched while connecting: tell the assistant now.
            if (lang !== startLang) sendLanguage();
          } else if (action.type === 'DIRECT_LINE/CONNECT_REJECTED') {
            showStatus('failed');
          }
          return result;
        };
      };
    });
    render();
  }

  Array.prototype.forEach.call(document.querySelectorAll('[data-lang]'), function (button) {
    button.addEventListener('click', function () { setLanguage(button.getAttribute('data-lang')); });
  });
  applyChrome();
  showStatus('connecting');
  if (!window.WebChat) {
    showStatus('failed');
    return;
  }
  start().catch(function () { showStatus('failed'); });
})();
