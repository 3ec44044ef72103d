/* The chat page: gets a token for one conversation (or resumes the one in this tab's session), then
   runs Web Chat against the Direct Line endpoint the server names (its own, or Azure's). Watches
   the server: an outage shows a banner with the Centre's phone and e-mail and the chat resumes by
   itself when the server is back; an ended conversation offers a new one, keeping what is shown.
   Texts come from locales/<lang>/page.json, put in the page by the server. */
(function () {
  'use strict';

  var TEXTS = JSON.parse(document.getElementById('page-texts').textContent);
  var LOCALES = { lv: 'lv-LV', en: 'en-US' };
  var TOKEN_URL = 'api/directline/token';
  var HEALTH_URL = 'healthz';
  var SESSION_KEY = 'iemic.chat';
  var HEARTBEAT_MS = 1000;
  var OUTAGE_AFTER_MS = 5000;
  var REFRESH_BEFORE_MS = 5 * 60 * 1000;
  // Direct Line connection states (botframework-directlinejs ConnectionStatus).
  var EXPIRED_TOKEN = 3;
  var FAILED_TO_CONNECT = 4;
  var ENDED = 5;

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
    sendBoxButtonColorOnFocus: NAVY,
    sendBoxButtonKeyboardFocusIndicatorBorderColor: NAVY,
    sendBoxButtonKeyboardFocusIndicatorBorderWidth: 3,
    sendBoxBorderTop: 'solid 1px #767676',
    suggestedActionLayout: 'carousel',
    suggestedActionBackgroundColor: '#FFFFFF',
    suggestedActionBorderColor: NAVY,
    suggestedActionBorderWidth: 2,
    suggestedActionTextColor: NAVY,
    suggestedActionBackgroundColorOnHover: '#E6EEF5',
    suggestedActionKeyboardFocusIndicatorBorderColor: NAVY,
    suggestedActionKeyboardFocusIndicatorBorderWidth: 3,
    suggestedActionKeyboardFocusIndicatorInset: 2,
    transcriptVisualKeyboardIndicatorColor: NAVY,
    transcriptVisualKeyboardIndicatorWidth: 3,
    transcriptActivityVisualKeyboardIndicatorColor: NAVY,
    transcriptActivityVisualKeyboardIndicatorWidth: 3
  };

  function readSession() {
    try { return JSON.parse(window.sessionStorage.getItem(SESSION_KEY) || 'null'); } catch (e) { return null; }
  }

  function writeSession() {
    try {
      window.sessionStorage.setItem(SESSION_KEY, JSON.stringify({
        lang: lang, grant: grant, noted: noted, streaming: streaming
      }));
    } catch (e) { /* storage may be blocked in an iframe */ }
  }

  function initialLanguage(session) {
    var asked = new URLSearchParams(window.location.search).get('lang');
    if (asked === 'lv' || asked === 'en') return asked;
    if (session && (session.lang === 'lv' || session.lang === 'en')) return session.lang;
    return document.documentElement.lang === 'en' ? 'en' : 'lv';
  }

  var session = readSession();
  var lang = initialLanguage(session);
  var startLang = lang;
  var grant = null;
  var noted = Boolean(session && session.noted);
  // Set to false once the WebSocket failed in this tab (or ?polling=1): polling from then on.
  var streaming = !(session && session.streaming === false) && new URLSearchParams(window.location.search).get('polling') !== '1';
  var container = document.getElementById('webchat');
  var statusLine = document.getElementById('status');
  var outage = document.getElementById('outage');
  var ended = document.getElementById('ended');
  var directLine = null;
  var store = null;
  var connected = false;
  var lastReachable = Date.now();
  var down = false;
  // A heartbeat failed since the last success: polling may have stopped with it.
  var hiccup = false;
  var lastResume = 0;
  var streamOpened = false;
  // Counts the connections this page made; sockets of an earlier one are ignored.
  var generation = 0;
  var conversationOver = false;

  function text(key) {
    return TEXTS[lang][key];
  }

  function applyChrome() {
    document.documentElement.lang = lang;
    document.title = text('title');
    Array.prototype.forEach.call(document.querySelectorAll('[data-i18n]'), function (el) {
      el.textContent = text(el.getAttribute('data-i18n'));
    });
    Array.prototype.forEach.call(document.querySelectorAll('[data-i18n-aria]'), function (el) {
      el.setAttribute('aria-label', text(el.getAttribute('data-i18n-aria')));
    });
    Array.prototype.forEach.call(document.querySelectorAll('[data-lang]'), function (button) {
      button.setAttribute('aria-pressed', String(button.getAttribute('data-lang') === lang));
    });
    document.getElementById('privacy-note').hidden = noted;
    if (down) showOutage();
  }

  function showStatus(key) {
    statusLine.hidden = !key;
    statusLine.setAttribute('data-status', key);
    statusLine.textContent = key ? text(key) : '';
  }

  function showOutage() {
    var content = document.getElementById('outage-template').content.cloneNode(true);
    content.querySelector('[data-i18n]').textContent = text('outage');
    outage.textContent = '';
    outage.appendChild(content);
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
    writeSession();
    applyChrome();
    showStatus(statusLine.getAttribute('data-status') || '');
    if (store && connected) sendLanguage();
    if (directLine) render();
  }

  function absolute(url) {
    return new URL(url, new URL(TOKEN_URL, window.location.href)).href.replace(/\/$/, '');
  }

  function isLocal() {
    return grant && !/^https?:/.test(grant.domain);
  }

  async function call(method, url, token, body) {
    var response = await fetch(url, {
      method: method,
      headers: Object.assign({ accept: 'application/json' }, token ? { authorization: 'Bearer ' + token } : {},
        body ? { 'content-type': 'application/json' } : {}),
      body: body ? JSON.stringify(body) : undefined,
      cache: 'no-store'
    });
    return response;
  }

  /** A token for a new conversation; the local Direct Line's is opened at once, so the welcome is on its way while Web Chat loads. */
  async function newConversation() {
    var response = await call('POST', TOKEN_URL);
    if (!response.ok) throw new Error('token request answered ' + response.status);
    var body = await response.json();
    grant = {
      token: body.token,
      conversationId: body.conversationId,
      domain: body.domain,
      expiresAt: Date.now() + body.expires_in * 1000,
      streaming: Boolean(body.streaming),
      opened: false
    };
    if (isLocal()) {
      var opened = await call('POST', absolute(grant.domain) + '/conversations', grant.token, { locale: LOCALES[lang] });
      grant.opened = opened.ok;
    }
    startLang = lang;
    writeSession();
  }

  function currentToken() {
    return (directLine && directLine.token) || grant.token;
  }

  function connect(watermark) {
    var options = {
      domain: absolute(grant.domain),
      token: grant.token,
      webSocket: Boolean(grant.streaming) && streaming && Boolean(window.WebSocket),
      conversationStartProperties: { locale: LOCALES[lang] }
    };
    if (grant.opened) {
      options.conversationId = grant.conversationId;
      options.watermark = watermark || '';
    }
    generation += 1;
    if (directLine) directLine.end();
    directLine = window.WebChat.createDirectLine(options);
    document.getElementById('conversation-number').textContent = grant.conversationId;
    render();
  }

  /**
   * The browser's WebSocket, watched: a stream that never opens (a proxy that refuses upgrades)
   * makes this tab poll instead; Web Chat's client would otherwise retry the stream forever.
   */
  var NativeWebSocket = window.WebSocket;
  function WatchedWebSocket(url, protocols) {
    var ws = protocols === undefined ? new NativeWebSocket(url) : new NativeWebSocket(url, protocols);
    var mine = generation;
    var opened = false;
    ws.addEventListener('open', function () { opened = streamOpened = true; });
    ws.addEventListener('close', function () {
      // A connection this page replaced, or an outage the heartbeat handles.
      if (mine !== generation || down || conversationOver) return;
      if (opened || streamOpened) {
        // The server ended the stream (an erased conversation, a restart): find out which, at once.
        void checkEnded();
        return;
      }
      streaming = false;
      writeSession();
      lastResume = 0;
      resume();
    });
    return ws;
  }

  if (NativeWebSocket) {
    // Web Chat's Direct Line client takes the global WebSocket: hand it the watched one.
    WatchedWebSocket.prototype = NativeWebSocket.prototype;
    ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'].forEach(function (name) { WatchedWebSocket[name] = NativeWebSocket[name]; });
    window.WebSocket = WatchedWebSocket;
  }

  /** Picks the conversation up again where this page left it (after an outage or a restart of the server). */
  function resume() {
    // At most one resume every few seconds: replacing the connection also ends the old one.
    if (!directLine || conversationOver || Date.now() - lastResume < 3000) return;
    lastResume = Date.now();
    grant.token = currentToken();
    connect(directLine.watermark);
  }

  async function refreshToken() {
    if (!grant || !isLocal() || conversationOver || grant.expiresAt - Date.now() > REFRESH_BEFORE_MS) return;
    var response = await call('POST', absolute(grant.domain) + '/tokens/refresh', currentToken());
    if (!response.ok) return;
    var body = await response.json();
    grant.token = body.token;
    grant.expiresAt = Date.now() + body.expires_in * 1000;
    writeSession();
    if (directLine) directLine.reconnect({ token: body.token, streamUrl: directLine.streamUrl });
  }

  /** Whether the conversation is gone for good (erased, idle too long, token expired) rather than out of reach. */
  async function checkEnded() {
    if (!grant || conversationOver) return;
    var response;
    try {
      response = await call('GET', absolute(grant.domain) + '/conversations/' + encodeURIComponent(grant.conversationId), currentToken());
    } catch (e) {
      return; // unreachable: the heartbeat shows the outage and resumes later
    }
    if (response.status === 404 || response.status === 401 || response.status === 403) {
      conversationOver = true;
      ended.hidden = false;
      showStatus('');
    } else if (response.ok) {
      resume();
    }
  }

  async function startNew() {
    ended.hidden = true;
    conversationOver = false;
    try {
      await newConversation();
    } catch (e) {
      ended.hidden = false;
      return;
    }
    connect('');
    var input = document.querySelector('[data-id="webchat-sendbox-input"]');
    if (input) input.focus();
  }

  function heartbeat() {
    var timer = setTimeout(function () { done(false); }, 1500);
    var finished = false;
    function done(ok) {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      var now = Date.now();
      if (ok) {
        lastReachable = now;
        if (down) {
          down = false;
          outage.textContent = '';
        }
        if (hiccup) {
          hiccup = false;
          resume();
        }
        // The page could not start (the server was down when it loaded): start now.
        if (!directLine && !starting && now - lastBegin > 10000) begin();
      } else {
        hiccup = true;
        if (!down && now - lastReachable >= OUTAGE_AFTER_MS) {
          down = true;
          showOutage();
        }
      }
      setTimeout(heartbeat, HEARTBEAT_MS);
    }
    fetch(HEALTH_URL, { cache: 'no-store' }).then(function (r) { done(r.ok); }, function () { done(false); });
  }

  /** Whether the browser draws colour emoji; without a font for them, 👍 is an empty box. */
  function drawsEmoji() {
    try {
      var canvas = document.createElement('canvas');
      canvas.width = canvas.height = 24;
      var context = canvas.getContext('2d');
      context.font = '20px sans-serif';
      context.textBaseline = 'top';
      context.fillStyle = '#000';
      context.fillText('\uD83D\uDC4D', 0, 0);
      var pixels = context.getImageData(0, 0, 24, 24).data;
      for (var i = 0; i < pixels.length; i += 4) {
        if (pixels[i + 3] > 0 && (pixels[i] !== pixels[i + 1] || pixels[i + 1] !== pixels[i + 2])) return true;
      }
    } catch (e) { /* no canvas: assume emoji work */ return true; }
    return false;
  }

  var EMOJI_PREFIX = /^(?:\p{Extended_Pictographic}|\p{Emoji_Modifier}|\uFE0F|\u200D)+\s*/u;
  var emojiDrawn = drawsEmoji();
  document.documentElement.setAttribute('data-emoji', emojiDrawn ? 'drawn' : 'none');

  /** Suggested actions titled "👍 Noderēja" read "Noderēja" where the emoji would be a box (the click still sends the full title). */
  function withoutEmojiTitles(action) {
    var activity = action.payload && action.payload.activity;
    if (emojiDrawn || !activity || !activity.suggestedActions || !activity.suggestedActions.actions) return action;
    var actions = activity.suggestedActions.actions.map(function (cardAction) {
      var title = typeof cardAction.title === 'string' ? cardAction.title.replace(EMOJI_PREFIX, '') : cardAction.title;
      return title ? Object.assign({}, cardAction, { title: title }) : cardAction;
    });
    var changed = Object.assign({}, activity, { suggestedActions: Object.assign({}, activity.suggestedActions, { actions: actions }) });
    return Object.assign({}, action, { payload: Object.assign({}, action.payload, { activity: changed }) });
  }

  function createStore() {
    return window.WebChat.createStore({}, function () {
      return function (next) {
        return function (action) {
          var result = next(action.type === 'DIRECT_LINE/INCOMING_ACTIVITY' ? withoutEmojiTitles(action) : action);
          if (action.type === 'DIRECT_LINE/CONNECT_FULFILLED') {
            connected = true;
            container.setAttribute('data-connected', 'true');
            showStatus('');
            // The language was switched while connecting: tell the assistant now.
            if (lang !== startLang) {
              startLang = lang;
              sendLanguage();
            }
          } else if (action.type === 'DIRECT_LINE/CONNECT_REJECTED') {
            void checkEnded();
          } else if (action.type === 'DIRECT_LINE/UPDATE_CONNECTION_STATUS') {
            var status = action.payload && action.payload.connectionStatus;
            if (status === EXPIRED_TOKEN || status === FAILED_TO_CONNECT || status === ENDED) void checkEnded();
          } else if (action.type === 'DIRECT_LINE/POST_ACTIVITY' && !noted) {
            noted = true;
            document.getElementById('privacy-note').hidden = true;
            writeSession();
          }
          return result;
        };
      };
    });
  }

  // Web Chat's bundle loads by itself (async); if that failed (the server was down), it is asked for again.
  var bundle = document.getElementById('webchat-bundle');
  var bundleFailed = false;
  bundle.addEventListener('error', function () { bundleFailed = true; });

  function webChatLoaded() {
    return new Promise(function (resolve, reject) {
      if (window.WebChat) return resolve();
      if (bundleFailed) {
        var again = document.createElement('script');
        again.src = bundle.src;
        again.async = true;
        bundle.replaceWith(again);
        bundle = again;
        bundleFailed = false;
        bundle.addEventListener('error', function () { bundleFailed = true; });
      }
      bundle.addEventListener('load', function () { return window.WebChat ? resolve() : reject(new Error('no WebChat')); });
      bundle.addEventListener('error', function () { reject(new Error('Web Chat did not load')); });
    });
  }

  async function start() {
    var resumable = session && session.grant && session.grant.opened && session.grant.expiresAt - Date.now() > 60 * 1000;
    var granted = resumable ? Promise.resolve(grant = session.grant) : newConversation();
    await Promise.all([granted, webChatLoaded()]);
    store = createStore();
    connect('');
  }

  function togglePanel(id, open) {
    var panel = document.getElementById(id);
    var show = open === undefined ? panel.hidden : open;
    panel.hidden = !show;
    var toggle = document.querySelector('[aria-controls="' + id + '"]');
    if (toggle && toggle.tagName === 'BUTTON') toggle.setAttribute('aria-expanded', String(show));
    return panel;
  }

  Array.prototype.forEach.call(document.querySelectorAll('[data-lang]'), function (button) {
    button.addEventListener('click', function () { setLanguage(button.getAttribute('data-lang')); });
  });
  document.querySelector('.skip-link').addEventListener('click', function (event) {
    var input = document.querySelector('[data-id="webchat-sendbox-input"]');
    if (!input) return;
    event.preventDefault();
    input.focus();
  });
  document.getElementById('contacts-toggle').addEventListener('click', function () {
    togglePanel('privacy', false);
    togglePanel('contacts');
  });
  Array.prototype.forEach.call(document.querySelectorAll('.privacy-open'), function (link) {
    link.addEventListener('click', function (event) {
      event.preventDefault();
      togglePanel('contacts', false);
      togglePanel('privacy', true).focus();
    });
  });
  document.getElementById('privacy-close').addEventListener('click', function () {
    togglePanel('privacy', false);
    document.getElementById('privacy-toggle').focus();
  });
  document.getElementById('start-new').addEventListener('click', function () { void startNew(); });
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape') return;
    if (!document.getElementById('privacy').hidden) document.getElementById('privacy-close').click();
    togglePanel('contacts', false);
  });

  var starting = false;
  var lastBegin = 0;
  function begin() {
    starting = true;
    lastBegin = Date.now();
    showStatus('connecting');
    start().then(function () {
      starting = false;
    }, function () {
      starting = false;
      showStatus('failed');
    });
  }

  applyChrome();
  begin();
  setTimeout(heartbeat, HEARTBEAT_MS);
  setInterval(function () { void refreshToken(); }, 60 * 1000);
})();
