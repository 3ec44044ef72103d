import { conversation, replyText } from '../support/testBot';
import { readAnswerLines, scoreReply } from '../../scripts/answerScoring';
import { isFollowUp, isQuestion, isYesNoQuestion, statesNeed } from '../../nlu/questionForm';

const NOW = '2026-12-02T09:30:00Z'; // a Wednesday, 11:30 in Riga

async function ask(...messages: string[]): Promise<string> {
  const convo = conversation({ now: NOW, locale: /[a-z]/i.test(messages[0]!) && !/[āēīūčšžņļķģ]|\b(vai|kur|kā|ka|un|man)\b/i.test(messages[0]!) ? 'en-US' : 'lv-LV' });
  let last = '';
  for (const m of messages) last = replyText(await convo.say(m));
  return last;
}

describe('the fact asked comes first', () => {
  test.each([
    ['vai varu pieprasījumu nosūtīt pa faksu?', /^Jā, .*\+371 67208219/],
    ['Can I send the request by fax?', /^Yes, .*\+371 67208219/],
    ['vai brālis var izņemt manu izziņu bez pilnvaras?', /^Nē, .*notariāli apliecinātas pilnvaras/],
    ['vai drīkst filmēt pie jums?', /^Nē, .*filmēt/],
    ['is the archive department open on friday?', /^No, /],
    ['kam jāiesniedz pieprasījums par 15 gadus vecu bērnu?', /vecāki vai aizbildņi/],
    // a clock time asked about coming to the counter: the hours of that counter, yes or no first
    ['vai otrdien ap 17.45 vēl varu atnākt pēc savas izziņas par sodāmību?', /^Jā, otrdien.*17\.45.*14\.00–18\.00/],
    ['Can I drop off my criminal record request on Monday at 4:30 pm?', /^No, Monday.*16:30.*13:00–16:00/],
    ['is the archive open on monday at 14:00?', /^Yes, at the Archive Department: Monday[^]*14:00/],
    // the Centre's full name is "the Centre", not a question about the ministry
    ['Kā var sazināties ar Iekšlietu ministrijas Informācijas centru?', /67208218/],
    ['What is the aim of the Information Centre of the Ministry of the Interior?', /crime/],
    // asked for the hours or the contacts of a service's place: those, not the procedure
    ['Kādi ir arhīva nodaļas kontakti, ja gribu sazināties par savu iesniegumu?', /^[^\n]*\n[^]*67829000[^]*arhivs@ic\.iem\.gov\.lv/],
    ['what are your office hours for collecting criminal record certificates?', /09:00–11:00[^]*10:00–13:00/],
    // collecting is not submitting
    ['can my brother pick up the certificate on my behalf?', /notarially certified power of attorney/],
    ['I have to pick up a criminal record certificate for my sick mother', /^If you cannot come yourself, only a person you have authorised/],
    // the fact that decides it turns to "No" when the question asks the opposite
    ['will the staff pass on my details to other people?', /^No, staff keep the information you provide confidential/],
    // between the two lists, the one it names
    ['what online services do you provide?', /^The Centre's e-services/],
    // a day asked as yes or no about coming in: that day's hours
    ['vai svētdien varu atnākt pēc izziņas?', /^Nē, svētdien/],
    ['can I drop in with my request on a Saturday?', /^No, Saturday \d/],
    // a contact asked as yes or no
    ['vai var piezvanīt uz arhīva nodaļu?', /^Jā\. [^]*67829000/],
    // a Latvian place name does not make an English question Latvian
    ['Is the archive department in Čiekurkalns open on Thursdays?', /^Yes, /],
  ])('%s', async (question, expected) => {
    expect(await ask(question)).toMatch(expected);
  });

  test('a topic-level question still gets the topic, the five ways in its first lines', async () => {
    const reply = await ask('kā pieprasīt izziņu par sodāmību?');
    expect(reply.slice(0, 300)).toMatch(/piecos veidos.*kanceleja@ic\.iem\.gov\.lv.*67208219.*Latvija\.lv/s);
  });

  test('a single fact is short, with the rest of the topic one choice away', async () => {
    const reply = await ask('uz kādu e-pastu sūtīt pieprasījumu par sodāmību?');
    expect(reply).toMatch(/^Pieprasījumu var nosūtīt elektroniski uz e-pasta adresi kanceleja@ic\.iem\.gov\.lv/);
    expect(reply).toContain('[Vairāk par šo]');
    expect(reply).not.toContain('67208219');
  });

  test.each([
    ['can I get the certificate with an apostille stamp?', /^(Sorry, I can't answer that: )?The Centre's client service standard does not/i],
    ['vai jums ir lifts uz otro stāvu?', /^(Atvainojiet, uz šo jautājumu nevaru atbildēt: )?Centra klientu apkalpošanas standartā par to nav informācijas/],
    ['how long do you keep old archive files?', /^(Sorry, I can't answer that: )?the Centre's client service standard does not/i],
    ['can I reserve a time slot online?', /^(Sorry, I can't answer that: )?the Centre's client service standard does not/i],
    ['is there a ramp for a wheelchair at your office?', /^(Sorry, I can't answer that: )?The Centre's client service standard does not/i],
  ])('where the standard is silent (%s), the first sentence says so and where to ask', async (question, expected) => {
    const reply = await ask(question);
    expect(reply).toMatch(expected);
    expect(reply).toContain('67208218');
  });

  test('a long story around a need for a named service is that need, not a refusal; children in the story are not the subject', async () => {
    const lv = await ask('Labvakar! Jau piekto gadu strādāju Vācijā par pavāru, šefs prasa izziņu par sodāmību no Latvijas, man vajag to izdabūt, bet braukt mājās tagad nav iespējams, jo restorānā sezona.');
    expect(lv.slice(0, 300)).toMatch(/notariāli apliecinātu pilnvaru/);
    expect(lv).not.toMatch(/nevaru atbildēt/);
    const en = await ask('Hello, my family and I relocated to Germany 3 years ago, the children go to school here, and now my landlord wants a criminal record certificate from Latvia. I need to get it but I cannot travel.');
    expect(en.slice(0, 300)).toMatch(/notari/);
    expect(en).not.toMatch(/parents or guardians|can't answer/);
  });

  test('someone who cannot come hears who may act for them, with the ways that need no visit', async () => {
    const need = await ask('man vajag izziņu par sodāmību, bet es strādāju Zviedrijā un nevaru atbraukt');
    expect(need.slice(0, 300)).toMatch(/pilnvar/);
    expect(need.slice(0, 300)).toMatch(/pa pastu/);
    const question = await ask('how do I request a criminal record certificate from abroad?');
    expect(question.slice(0, 400)).toMatch(/Latvija\.lv/);
    expect(question).toMatch(/authorised|anyone may submit/);
  });

  test('for someone absent, collecting is not submitting', async () => {
    expect(await ask('kas drīkst izņemt izziņu, ja pati persona ir prombūtnē?')).toMatch(/^[^\n]*pilnvarota persona, uzrādot notariāli apliecinātu pilnvaru/);
    expect(await ask('kas drīkst iesniegt pieprasījumu, ja persona ir prombūtnē?')).toMatch(/^[^\n]*jebkura persona/);
  });

  test('a need for another person who cannot come says both who may submit and who may collect, in one sentence', async () => {
    const lv = await ask('man vajag izziņu par sodāmību tēvam, viņš strādā Norvēģijā un nevar atbraukt');
    expect(lv).toMatch(/^Ja persona pati nevar ierasties, pieprasījumu tās vietā var iesniegt jebkura persona, bet .*notariāli apliecinātu pilnvaru/);
    const en = await ask('I need a criminal record certificate for my sister, she lives in Spain and cannot come');
    expect(en).toMatch(/^If the person cannot come, anyone may submit the request for them, but .*notarially certified power of attorney/);
  });

  test('a yes/no question on prices that a fact decides starts with yes; paying by card is not answered with the address', async () => {
    expect(await ask('Is there a price list at the client service point?')).toMatch(/^Yes/);
    const card = await ask('vai var norēķināties ar karti klātienē?');
    expect(card).not.toMatch(/^Klātienē Centrā/);
    expect(card.slice(0, 300)).toContain('67208218');
  });

  test('a question is never taken for a rating', async () => {
    const reply = await ask('Do the details I give you stay private?');
    expect(reply).not.toMatch(/rate our conversation/);
    expect(reply.slice(0, 300)).toMatch(/confidential/);
  });

  test('where the standard gives no price, the first sentence says so', async () => {
    expect(await ask('cik maksā izziņa?')).toMatch(/^Klientu apkalpošanas standartā cenas nav norādītas/);
  });
});

describe('guides are offered, never imposed', () => {
  test('a question about a case is answered, with the guide offered and its slots kept', async () => {
    const convo = conversation({ now: NOW });
    const reply = replyText(await convo.say('kā var iesniegt pieprasījumu izziņai dēlam?'));
    expect(reply).toMatch(/vecāki vai aizbildņi/);
    expect(reply).toContain('[Palīdzēt soli pa solim]');
    expect(reply).not.toContain('Kam ir nepieciešama');
    // "jā" takes the offer; who it is for is already known, so the guide asks how to submit
    const next = replyText(await convo.say('jā'));
    expect(next).toContain('Kā vēlaties iesniegt');
  });

  test('a need followed by "what do I do?" starts the guide too, with the rule for the case and where to go', async () => {
    const reply = await ask('Man vajag arhīva izziņu par mirušo māti, ko man darīt?');
    expect(reply).toMatch(/^Ja pieprasāt ziņas par .* mirušu radinieku/);
    expect(reply.slice(0, 320)).toMatch(/Čiekurkalna/);
  });

  test('"whom do you serve?" is answered with the Centre\'s clients, "which services?" with the list', async () => {
    expect(await ask('kam jūs sniedzat pakalpojumus?')).toMatch(/privātpersonām, juridiskām personām/);
    expect(await ask('kādus pakalpojumus sniedzat?')).toMatch(/^Centrs sniedz šādus pakalpojumus/);
  });

  test('a stated need starts the guide, whose first message already has the short answer and the rule for the person', async () => {
    const reply = await ask('man vajag izziņu par sodāmību meitai');
    expect(reply).toMatch(/^Par personu, kura nav sasniegusi 18 gadu vecumu, .*vecāki vai aizbildņi/);
    expect(reply).toContain('var iesniegt piecos veidos');
    expect(reply).toContain('Kā vēlaties iesniegt');
  });
});

describe('a question that names no service is about the criminal record certificate, and says so', () => {
  test.each([
    ['kādi papīri jāņem līdzi?', /^(Izziņa par sodāmību: )?Saņemot izziņu Centrā, .*oriģināl/],
    ['kādi dokumenti man būs vajadzīgi?', /^(Izziņa par sodāmību: )?Saņemot izziņu Centrā, .*oriģināl/],
    ['what documents will I need?', /^(About the criminal record certificate: )?.*original/i],
    ['can I do that online?', /^(About the criminal record certificate: )?Yes, .*Latvija\.lv/],
    // "where?" with no way named: every way, not the e-service whose name shares a word
    ['kur to var pieprasīt?', /^(Izziņa par sodāmību: )?Pieprasījumu izziņai par sodāmību var iesniegt piecos veidos/],
    // a verb that stands for any errand is no unknown subject
    ['vai to var izdarīt tiešsaistē?', /^(Izziņa par sodāmību: )?Jā, .*Latvija\.lv/],
    ['ko man darīt, ja nevaru aiziet to saņemt pats?', /^(Izziņa par sodāmību: )?[^\n]*notariāli apliecinātu pilnvaru/],
  ])('%s', async (question, expected) => {
    expect(await ask(question)).toMatch(expected);
  });

  test('a word no fact has keeps it from guessing ("is it in English?")', async () => {
    const reply = await ask('will the certificate be issued in english?');
    expect(reply).not.toMatch(/^About the criminal record certificate/);
    expect(reply.slice(0, 300)).toContain('67208218');
  });
});

describe('about the Centre', () => {
  test.each([
    // its short name is its name: the answer is what the Centre is, not one line of its purpose
    ['kas ir Informācijas centrs?', /^Iekšlietu ministrijas Informācijas centrs ir .*tiešās pārvaldes iestāde/],
    ['what does the information center do?', /^The Information Centre of the Ministry of the Interior is /],
    // a thing of the Centre the standard never names is not answered with what it is
    ['kas ir centra vadītājs?', /^Centra klientu apkalpošanas standartā par to nav informācijas/],
    ["what is the Centre's annual budget?", /^The Centre's client service standard does not say/],
    // ... but what it does, in words no fact has, still is
    ['who does the information centre report to?', /Ministry of the Interior/],
    // a place that is not the Centre's is not answered with the Centre's address
    ['where is the parking?', /^(Sorry, I can't answer that: )?the Centre's client service standard does not (say|cover it)/i],
    ['where can I park the car?', /^(Sorry, I can't answer that: )?the Centre's client service standard does not (say|cover it)/i],
    ['kur tuvumā ir veikals?', /^(Atvainojiet, uz šo jautājumu nevaru atbildēt: )?Centra klientu apkalpošanas standartā par to nav informācijas/i],
    ['kur jūs atrodaties?', /^Centra adrese: Bruņinieku iela 72B/],
    ['where exactly?', /^The Centre's address: Bruņinieku iela 72B/],
    // asked as yes or no about something at the address, that thing is what is asked
    ['vai pie ēkas var atstāt velosipēdu?', /^(Atvainojiet, uz šo jautājumu nevaru atbildēt: )?Centra klientu apkalpošanas standartā par to nav informācijas/],
    ['is there a lift in the building on Bruņinieku iela?', /^The Centre's client service standard does not say/],
    // ... but the address itself asked as yes or no is the address
    ['is your office still on Bruninieku street?', /^The Centre's address: Bruņinieku iela 72B/],
    ['vai jūs joprojām atrodaties Bruņinieku ielā?', /^Centra adrese: Bruņinieku iela 72B/],
  ])('%s', async (question, expected) => {
    expect(await ask(question)).toMatch(expected);
  });
});

describe('a service asked by what it does', () => {
  test.each([
    ['does the Centre have an e-service for businesses?', /legal person/],
    ['vai ir e-pakalpojums uzņēmumiem?', /juridiskai personai/],
    ['can I see on a map where crimes happened?', /digital map/],
    // a list asked for is still the list
    ['what online services do you provide?', /^The Centre's e-services on the Latvija\.lv portal:/],
  ])('%s', async (question, expected) => {
    expect((await ask(question)).slice(0, 300)).toMatch(expected);
  });
});

describe("the staff's commitments", () => {
  test.each([
    // a story around the question (words no fact has) does not make it one the standard is silent on
    ['Labdien! Pirms mēneša man atteica izziņu un neko nepaskaidroja. Kas darbiniekam ir jādara, ja viņš atsaka sniegt pakalpojumu?', /^Ja pakalpojumu atsaka, darbinieks paskaidro atteikuma iemeslus/],
    // "a staff member" is staff; "supposed to" is a must
    ['What is a member of staff supposed to do when they get something wrong?', /^Staff admit their mistakes, apologise/],
  ])('%s', async (question, expected) => {
    expect(await ask(question)).toMatch(expected);
  });
  test('an apostille is never answered with a fact that fits the rest of the message', async () => {
    for (const q of ['can the certificate I get on Latvija.lv be apostilled there too?', 'I need to know whether my certificate from the e-service can be legalised for use abroad', 'vai e-pakalpojumā saņemtai izziņai var uzlikt apostilu?']) {
      expect(await ask(q)).toMatch(/^(Sorry, I can't answer that: the Centre's client service standard does not cover it|The Centre's client service standard does not say|(Atvainojiet, uz šo jautājumu nevaru atbildēt: )?Centra klientu apkalpošanas standartā par to nav informācijas)/);
    }
  });
  test('a short question with a word no fact has is still not guessed', async () => {
    expect(await ask('Is the building accessible for wheelchair users?')).not.toMatch(/^Accessibility/);
  });
});

describe('a minor', () => {
  test.each([
    // the age decides the rule, even when the certificate is named
    ["I'm 15 - can my dad request my criminal record certificate?", /^Yes: for a person under 18, the parents or guardians/],
    // and asked whether the minor may act alone, the answer is no
    ['I’m 17, can I request it on my own?', /^No, for a person under 18 the parents or guardians/],
    ['man ir 16 gadu, vai varu pati pieprasīt izziņu?', /^Nē, par personu, kura nav sasniegusi 18 gadu vecumu/],
  ])('%s', async (question, expected) => {
    expect(await ask(question)).toMatch(expected);
  });
});

describe('collecting a certificate', () => {
  test.each([
    // the archive certificate is collected at the Centre: asked about the Archive department, No
    ['can I pick up my archive certificate at the archive department in Čiekurkalns?', /^No, archive certificates are collected at the Centre, Bruņinieku iela 72B/],
    ['vai arhīva izziņu varēs izņemt Čiekurkalnā?', /^Nē, arhīva izziņu saņem Centrā – Rīgā, Bruņinieku ielā 72B/],
    ['vai arhīva izziņu var saņemt Bruņinieku ielā?', /^Jā, arhīva izziņu saņem Centrā/],
    // one of the things to bring is not all of them
    ['Is a copy of my passport enough to collect the certificate?', /^No, that alone is not enough: .*originals of your request and payment order/],
    ['vai izņemot izziņu pietiek ar pases kopiju?', /^Nē, ar to vien nepietiek: .*oriģinālus/],
    ['what do I need to bring to collect it?', /originals of your request and payment order/],
  ])('%s', async (question, expected) => {
    expect(await ask(question)).toMatch(expected);
  });
});

describe('inside a guide, a question is answered, never taken for an unclear answer', () => {
  test.each([
    // a question in the guide's own topic, asked with "and if …?"
    [['I need a criminal record certificate.', 'and what if my wife collects it for me?'], /notarially certified power of attorney[\s\S]*Let's continue/],
    // a question the model is unsure of is about the guide's service, with what the guide knows (a deceased relative)
    [['Man vajag arhīva izziņu par mirušo vīru.', 'ko vēl jāpievieno?'], /^Ja pieprasāt ziņas par aizgādnībā esošu personu vai mirušu radinieku[\s\S]*(Turpinām|turpin)/],
  ])('%j', async (messages, expected) => {
    const reply = await ask(...messages);
    expect(reply).toMatch(expected);
    expect(reply).not.toMatch(/did not understand|nesapratu/);
  });
});

describe('follow-ups continue the last topic', () => {
  test.each([
    [['Can I send the request by fax?', 'and by post?'], /^Yes, .*LV-1009/],
    [['vai pirmdien strādājat?', 'un piektdien?'], /piektdien/i],
    [['kad strādājat?', 'a arhīvā?'], /Arhīva/],
    [['How do I request a criminal record certificate?', 'what about for my son?'], /parents or guardians/],
    // a word only the last topic's facts have continues it; a "which…?" is not answered with "Yes"
    [['vai arhīva izziņu var pieprasīt internetā?', 'kurā sadaļā?'], /^Iesniegumu var iesniegt arī tiešsaistē[^\n]*Iesniegums iestādei/],
    [['can I ask for an archive certificate over the internet?', 'what section?'], /^Online: [^\n]*Application to an institution/],
    // the same topic, though the model is sure of another ("in person" is also how to submit)
    [['how can I give feedback on your service?', 'and in person?'], /^In person at the Centre's client service point you can fill in a survey form/],
    // "which address?" after sending it by e-mail is the e-mail address; after asking for an e-mail, the street
    [['vai pieprasījumu drīkst sūtīt pa e-pastu?', 'kāda adrese?'], /^[^\n]*kanceleja@ic\.iem\.gov\.lv/],
    [['can I email the request?', 'to what address?'], /^[^\n]*kanceleja@ic\.iem\.gov\.lv/],
    [['archive e-mail?', 'and the address?'], /Čiekurkalna/],
  ])('%j', async (messages, expected) => {
    expect(await ask(...messages)).toMatch(expected);
  });
});

describe('question forms', () => {
  test.each([
    ['Vai varu atnākt rīt?', 'lv', true], ['labdien, vai jūs strādājat sestdien?', 'lv', true], ['kur jūs atrodaties?', 'lv', false],
    ["I don't speak Latvian. Can I bring a friend?", 'en', true], ['where are you?', 'en', false],
  ] as const)('%s is a yes/no question: %s', (text, lang, expected) => {
    expect(isYesNoQuestion(text, lang)).toBe(expected);
  });
  test('needs, questions, follow-ups', () => {
    expect(statesNeed('man vajag izziņu par sodāmību')).toBe(true);
    expect(isQuestion('kur man vajag iesniegt?', 'lv')).toBe(true);
    expect(isFollowUp('un pa pastu?')).toBe(true);
    expect(isFollowUp('kā pieprasīt izziņu par sodāmību, ja dzīvoju ārzemēs un nevaru atbraukt?')).toBe(false);
  });
});

describe('the answer-level evaluation set', () => {
  // a floor, not the target: the note reports the numbers; this fails when a change makes replies worse
  test.each([
    // [set, floor]: the issue's target on the repository's set; a little below today's numbers on the others
    ['test/answers/eval.jsonl', 0.95],
    ['test/answers/heldout.jsonl', 0.93],
    ['test/answers/fresh.jsonl', 0.9],
    ['test/answers/fresh2.jsonl', 0.93],
    ['test/answers/fresh3.jsonl', 0.93],
    // written last, after this code; two of its failures have been looked at
    ['test/answers/fresh4.jsonl', 0.83],
  ])('replies in %s pass at least as often as the floor', async (file, floor) => {
    const lines = readAnswerLines(file);
    const passed = { lv: 0, en: 0 };
    for (const line of lines) {
      const convo = conversation({ now: NOW, locale: line.lang === 'en' ? 'en-US' : 'lv-LV', channelId: 'eval' });
      let reply = '';
      for (const m of line.turns ?? [line.q!]) reply = replyText(await convo.say(m)).replace(/^\{.*$/gm, '');
      if (scoreReply(line, reply).pass) passed[line.lang]++;
    }
    const total = { lv: lines.filter((l) => l.lang === 'lv').length, en: lines.filter((l) => l.lang === 'en').length };
    expect(passed.lv / total.lv).toBeGreaterThanOrEqual(floor);
    expect(passed.en / total.en).toBeGreaterThanOrEqual(floor);
  }, 120_000);
});
