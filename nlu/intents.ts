/**
 * The intents the assistant recognizes. The description says what a message with that intent
 * asks, so that training phrases, evaluation phrases and answers agree on the boundaries.
 */
export const INTENTS = {
  // conversation
  greeting: 'Hello / good day, with no question attached.',
  goodbye: 'Bye, see you, that is all.',
  thanks: 'Thank you, that helped.',
  help: 'What can you do, menu, help, I do not know what to ask, topics.',
  bot_identity: 'Who/what are you, are you a robot or a person, who made you.',
  // the Centre
  about_centre: 'What is the Information Centre, what does it do, its purpose and whom it belongs to.',
  services_list: 'Which services does the Centre provide (in general, all of them).',
  eservices_list: 'Which e-services / online services are there, what can I do online on Latvija.lv.',
  service_principles: 'How staff treat clients: values, professionalism, confidentiality, politeness, what if staff refuse a service (reasons with the law), mistakes and apologies.',
  client_rules: 'What is expected of a client at the reception: bring an interpreter if not speaking Latvian, no photographing or filming, etiquette, show an ID, give contact details.',
  feedback: 'How to give feedback, complain, or express an opinion about service quality; client surveys.',
  rate: 'The user wants to rate this conversation or the service right now ("gribu novērtēt", "I want to rate the service", "can I give you a score").',
  processing_time: 'How long it takes to prepare a certificate or get an answer, when it will be ready, deadlines (the standard gives no processing times: the answer points to the Centre).',
  fees: 'How much does it cost, price list, fee, state duty, how to pay for a certificate (the standard gives no amounts: the price list is on the board and the website).',
  notices: 'Information board at the reception; changes to reception hours; disruptions or technical problems; is something changing.',
  // places and time
  address: 'Where is the Centre, address, how to find you, where to go in person.',
  contacts: 'Phone number, e-mail, fax, website, how to contact / call / write to the Centre.',
  reception_hours: 'Opening hours, when are you open, reception times, when can I come, working hours, lunch break (any place; the place is an entity).',
  // criminal record certificate
  criminal_record_request: 'How / where to request a certificate of (no) criminal record (izziņa par sodāmību), ways to submit (in person, post, e-mail, fax, Latvija.lv).',
  criminal_record_collect: 'What to bring / present when collecting (picking up) a prepared certificate.',
  criminal_record_check: 'How to check that the submitted documents/request arrived, did you receive my request.',
  representation: 'Submitting or collecting for someone else: an absent person, power of attorney, a child under 18 (parents, guardians), a person under guardianship, can my relative pick it up.',
  // archive
  archive_request: 'Archive certificate (arhīva izziņa): how to get information from the archive, what to enclose, where to submit and collect, the Archive department.',
  // services and e-services (each also names the e-service on Latvija.lv where there is one)
  admin_penalties_certificate: 'A certificate of the administrative penalties imposed on a private person.',
  legal_person_certificate: 'A certificate for a company / legal person: coercive measures and administrative penalties applied to a legal person, or a company\'s criminal record.',
  invalid_documents: 'Checking whether a passport / ID card / document is in the register of invalid documents (stolen, lost).',
  cultural_objects: 'Cultural objects: determining the status of a cultural object (art, antiques), making a description of a cultural object, export of valuables.',
  crime_map: 'The map of registered crimes (GIS), crime statistics on a digital map, mapped data from the registers.',
  admin_fines: 'Checking and paying administrative fines (speeding, parking, police fines), do I have unpaid fines.',
  biometrics: '"My data" in the Biometric data processing system: fingerprints, facial images, what biometric data is stored about me.',
  weapons: 'Weapons: registration, checking permits, licences and certificates for firearms.',
  online_data: 'Online data transmission from the state information systems "Punishment Register" and "Integrated Interior Information System" (for institutions and organisations).',
  data_exchange: 'Development of data exchange software modules (system integration with the Centre\'s registers).',
  statistics: 'Statistical information prepared from the data in the information systems (crime statistics requests).',
  radio: 'The radio communication system (operational radio for services, TETRA).',
} as const;

export type Intent = keyof typeof INTENTS;
export const OUT_OF_SCOPE = 'out_of_scope' as const;
export type Label = Intent | typeof OUT_OF_SCOPE;
export const INTENT_NAMES = Object.keys(INTENTS) as Intent[];
