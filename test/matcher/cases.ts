import type { MatchInput } from '../../src/matcher/types.js';
import type { Strength } from '../../src/domain/strength.js';

/**
 * Pinned sentences for the matcher's unit tests: real text from ../shared/corpus or quoted in the
 * taxonomy (each row names its source). This is NOT an evaluation set and is not used to tune weights
 * against one; it pins the tricky cases the taxonomy calls out.
 */
export interface Case {
  name: string;
  source: string;
  input: MatchInput;
  coproduction: boolean;
  strength: Strength;
  ambiguous?: boolean;
  /** Principle ids that must be present. */
  principles?: string[];
  /** Principle ids that must be absent. */
  notPrinciples?: string[];
  /** A reason substring that must be present. */
  reason?: string;
}

const S16_LEAD_EN = 'A local authority must promote—';
const S16_LEAD_CY = 'Rhaid i awdurdod lleol hyrwyddo—';
const CARE_ACT_S1_3_LEAD = 'In exercising a function under this Part in the case of an individual, a local authority must have regard to the following matters in particular—';
const WFG_S5_2_LEAD = 'In order to act in that manner, a public body must take account of the following things—';

export const cases: Case[] = [
  {
    name: 'SSWWA s.16(1)(c): item inherits "must promote", involvement in design and operation',
    source: 'Social Services and Well-being (Wales) Act 2014 s.16(1)(c) (taxonomy §2.6, §4.2)',
    input: { text: 'the involvement of persons for whom care and support or preventative services are to be provided in the design and operation of that provision;', leadIn: S16_LEAD_EN, documentKind: 'act', jurisdiction: 'wales' },
    coproduction: true,
    strength: 'duty',
    principles: ['design_delivery_involvement', 'prevention'],
  },
  {
    name: 'SSWWA a.16(1)(c) Welsh twin: rhaid lead-in',
    source: 'Deddf Gwasanaethau Cymdeithasol a Llesiant (Cymru) 2014 a.16(1)(c) (corpus text/www.legislation.gov.uk_anaw_2014_4_section_16_welsh_data.html.txt)',
    input: { text: 'ymglymiad personau y mae gofal a chymorth neu wasanaethau ataliol i’w darparu ar eu cyfer yn y broses o ddylunio a gweithredu’r ddarpariaeth honno;', leadIn: S16_LEAD_CY, documentKind: 'act', jurisdiction: 'wales', language: 'cy' },
    coproduction: true,
    strength: 'duty',
    principles: ['design_delivery_involvement', 'prevention'],
  },
  {
    name: 'SSWWA s.16(1)(a): social enterprises to provide care (the s.16 model), close to threshold',
    source: 'SSWWA 2014 s.16(1)(a) (taxonomy §1 C, §2.6)',
    input: { text: 'the development in its area of social enterprises to provide care and support and preventative services;', leadIn: S16_LEAD_EN, documentKind: 'act' },
    coproduction: true,
    strength: 'duty',
    ambiguous: true,
    principles: ['social_economy'],
  },
  {
    name: 'SSWWA a.16(1)(a) Welsh twin',
    source: 'SSWWA 2014 a.16(1)(a), Welsh text (corpus text/www.legislation.gov.uk_anaw_2014_4_section_16_welsh_data.html.txt)',
    input: { text: 'datblygiad mentrau cymdeithasol yn ei ardal i ddarparu gofal a chymorth a gwasanaethau ataliol;', leadIn: S16_LEAD_CY, documentKind: 'act', language: 'cy' },
    coproduction: true,
    strength: 'duty',
    ambiguous: true,
    principles: ['social_economy'],
  },
  {
    name: 'SSWWA a.16(1)(b) Welsh: co-operative organisations to provide care',
    source: 'SSWWA 2014 a.16(1)(b), Welsh text (corpus text/www.legislation.gov.uk_anaw_2014_4_section_16_welsh_data.html.txt)',
    input: { text: 'datblygiad sefydliadau cydweithredol neu drefniadau cydweithredol yn ei ardal i ddarparu gofal a chymorth a gwasanaethau ataliol;', leadIn: S16_LEAD_CY, documentKind: 'act', language: 'cy' },
    coproduction: true,
    strength: 'duty',
    principles: ['social_economy'],
  },
  {
    name: 'ministerial statement re-enforcing the s.16 model: "I want" is aspiration',
    source: 'Written statement, Social Services and Well-being (Wales) Bill: social enterprise (corpus statements/www.gov.wales_written-statement-social-services-and-well-being-wales-bill-statement-social-enterprise.txt)',
    input: { text: 'I want to re-enforce our commitment to social enterprises, co-operatives, user led services and the third sector as set out in the Social Services and Well-being (Wales) Bill.', documentKind: 'statement', jurisdiction: 'wales' },
    coproduction: true,
    strength: 'aspiration',
    principles: ['social_economy', 'design_delivery_involvement'],
  },
  {
    name: 'WFG s.5(2)(e) involvement way of working: positive, ambiguous, qualified by "take account of"',
    source: 'Well-being of Future Generations (Wales) Act 2015 s.5(2) (taxonomy §2.7, §4.15)',
    input: { text: '(e) the importance of involving other persons with an interest in achieving the well-being goals and of ensuring that those persons reflect the diversity of the population of the part of Wales in relation to which the body exercises functions.', leadIn: WFG_S5_2_LEAD, documentKind: 'act' },
    coproduction: true,
    strength: 'qualified_duty',
    ambiguous: true,
    principles: ['wfg_involvement'],
  },
  {
    name: 'WFG s.5(2)(d) collaboration: organisational, adjacent only',
    source: 'WFG Act 2015 s.5(2)(d) (taxonomy §2.7)',
    input: { text: '(d) how acting in collaboration with any other person (or how different parts of the body acting together) could assist the body to meet its well-being objectives;', leadIn: WFG_S5_2_LEAD, documentKind: 'act' },
    coproduction: false,
    strength: 'none',
    principles: ['collaboration'],
  },
  {
    name: 'Care Act s.1(2) well-being definition list: E5',
    source: 'Care Act 2014 s.1(2) (taxonomy §1 E5, §5.4)',
    input: { text: '“Well-being”, in relation to an individual, means that individual’s well-being so far as relating to any of the following— (a) personal dignity (including treatment of the individual with respect); (b) physical and mental health and emotional well-being; (d) control by the individual over day-to-day life (including over care and support, or support, provided to the individual and the way in which it is provided); (e) participation in work, education, training or recreation;', documentKind: 'act' },
    coproduction: false,
    strength: 'none',
    principles: ['wellbeing'],
  },
  {
    name: 'Care Act s.1(3)(e): participation in decisions under "must have regard to" → qualified, individual level ambiguous',
    source: 'Care Act 2014 s.1(3)(e) (taxonomy §4.13, §7 precedence)',
    input: { text: '(e) the importance of the individual participating as fully as possible in decisions relating to the exercise of the function concerned and being provided with the information and support necessary to enable the individual to participate;', leadIn: CARE_ACT_S1_3_LEAD, documentKind: 'act' },
    coproduction: true,
    strength: 'qualified_duty',
    ambiguous: true,
    principles: ['voice_control'],
  },
  {
    name: 'Care Act s.1(3)(b): regard to views is consultation level',
    source: 'Care Act 2014 s.1(3)(b) (taxonomy §4.13 −)',
    input: { text: '(b) the individual’s views, wishes, feelings and beliefs;', leadIn: CARE_ACT_S1_3_LEAD, documentKind: 'act' },
    coproduction: false,
    strength: 'none',
    principles: ['voice_control', 'consultation_engagement'],
  },
  {
    name: 'Data Protection Act 2018 s.45(1): a clear negative',
    source: 'Data Protection Act 2018 s.45 (corpus legislation-xml/www.legislation.gov.uk_ukpga_2018_12_section_45_data.xml)',
    input: { text: '(1) A data subject is entitled to obtain from the controller— (a) confirmation as to whether or not personal data concerning him or her is being processed, and (b) where that is the case, access to the personal data and the information set out in subsection (2).', documentKind: 'act' },
    coproduction: false,
    strength: 'none',
  },
  {
    name: 'NHS Act s.242-style involvement "whether by being consulted": negative, ambiguous',
    source: 'NHS Act 2006 s.242(1B) (taxonomy §4.2 −, §10)',
    input: { text: 'Each relevant English body must make arrangements, as respects health services for which it is responsible, which secure that users of those services, whether directly or through representatives, are involved (whether by being consulted or provided with information, or in other ways) in the planning of the provision of those services.', documentKind: 'act' },
    coproduction: false,
    strength: 'none',
    ambiguous: true,
    reason: 'E2',
  },
  {
    name: 'co-operation between an authority and its relevant partners (E1 / adjacent)',
    source: 'SSWWA 2014 s.162(1) (corpus text/www.legislation.gov.uk_anaw_2014_4_part_9_crossheading_cooperation.txt; taxonomy §6.4)',
    input: { text: 'A local authority must make arrangements to promote co-operation between the authority and each of its relevant partners with a view to improving the well-being of adults with needs for care and support and carers who need support.', documentKind: 'act' },
    coproduction: false,
    strength: 'none',
    principles: ['collaboration'],
  },
  {
    name: 'film co-production: masked and guarded',
    source: 'Corporation Tax Act 2009 Part 15 / HMRC FPC manual (taxonomy §6.1)',
    input: { text: 'A film is an official co-production if it is made in accordance with a co-production treaty or a co-production agreement to which the United Kingdom is a party.', documentKind: 'act' },
    coproduction: false,
    strength: 'none',
    notPrinciples: ['explicit_coproduction'],
  },
  {
    name: 'guidance "co-produced" by officials with boards (E1)',
    source: 'taxonomy §4.1 − and §6.11 (documents co-produced between officials and boards)',
    input: { text: 'This guidance has been co-produced by Welsh Government officials with regional partnership boards and local health boards.', documentKind: 'guidance' },
    coproduction: false,
    strength: 'none',
  },
  {
    name: 'co-operative society registration (legal form)',
    source: 'Co-operative and Community Benefit Societies Act 2014 s.2 (taxonomy §6.3)',
    input: { text: 'A society may be registered as a co-operative society if it is a bona fide co-operative society.', documentKind: 'act' },
    coproduction: false,
    strength: 'none',
    notPrinciples: ['social_economy'],
  },
  {
    name: 'production order (evidence law)',
    source: 'taxonomy §6.2 (production orders)',
    input: { text: 'A judge may make a production order requiring the person to produce the material to a constable within seven days.', documentKind: 'act' },
    coproduction: false,
    strength: 'none',
  },
  {
    name: 'explicit denial (E4)',
    source: 'taxonomy §1 E4 and §6.12 (statements that a group is not co-production)',
    input: { text: 'The reference group is not a co-production body and its members are paid to give feedback on draft proposals.', documentKind: 'guidance' },
    coproduction: false,
    strength: 'none',
    reason: 'E4',
  },
  {
    name: 'CE(S)A s.22(1): participation request is a power',
    source: 'Community Empowerment (Scotland) Act 2015 s.22(1) (corpus text/legislation.gov.uk_asp_2015_6_part_3_timeline_false.txt)',
    input: { text: '(1)A community participation body may make a request to a public service authority to permit the body to participate in an outcome improvement process.', documentKind: 'act', jurisdiction: 'scotland' },
    coproduction: true,
    strength: 'power',
    principles: ['design_delivery_involvement', 'shared_power'],
  },
  {
    name: 'Care Act statutory guidance "should" → guidance',
    source: 'Care and Support Statutory Guidance (taxonomy §2.8)',
    input: { text: 'Local authorities should actively promote participation in providing interventions that are co-produced with individuals, families, friends, carers and the community.', documentKind: 'guidance' },
    coproduction: true,
    strength: 'guidance',
    principles: ['explicit_coproduction'],
  },
  {
    name: 'SDS collaboration with a person is shared power, not organisational collaboration',
    source: 'Social Care (Self-directed Support) (Scotland) Act 2013 s.1 (taxonomy §2.5, §5.2)',
    input: { text: 'A local authority must collaborate with a person in relation to the assessment of the person’s needs for support and the provision of support.', documentKind: 'act', jurisdiction: 'scotland' },
    coproduction: true,
    strength: 'duty',
    principles: ['shared_power'],
  },
  {
    name: 'SCIE definition: true, but a definition commits nobody',
    source: 'SCIE co-production charter (taxonomy §2.4)',
    input: { text: 'Co-production means working with people who use services and carers as equal partners in the design, development, commissioning, delivery and review of SCIE’s services.', documentKind: 'other' },
    coproduction: true,
    strength: 'none',
    principles: ['explicit_coproduction', 'shared_power', 'design_delivery_involvement'],
  },
  {
    name: 'prudent healthcare principle: equal partners through co-production',
    source: 'Prudent healthcare principle 1 (taxonomy §2.8)',
    input: { text: 'Achieve health and wellbeing with the public, patients and professionals as equal partners through co-production.', documentKind: 'statement', jurisdiction: 'wales' },
    coproduction: true,
    strength: 'none',
    principles: ['explicit_coproduction', 'shared_power'],
  },
  {
    name: 'Lords committee on individual-level co-production',
    source: 'House of Lords Adult Social Care Committee report (corpus parliament/publications.parliament.uk_pa_ld5803_ldselect_ldadultsoc_99_9908.htm.txt)',
    input: { text: 'At the individual level, co-production means that people who draw on care can make better choices when it comes to designing and delivering their own care, in a process that places power and decision making into their hands.', documentKind: 'other' },
    coproduction: true,
    strength: 'none',
    principles: ['explicit_coproduction', 'shared_power'],
  },
  {
    name: '"coprobabble": co-production listed with engagement and voice',
    source: 'Senedd LJC report SL(6)494 on the Part 2 Code (corpus senedd/senedd_LJC_report_SL6-494_Part2_Code_of_Practice_General_Functions.NO-URL.txt)',
    input: { text: 'engagement, voice and co-production;', documentKind: 'other' },
    coproduction: false,
    strength: 'none',
    ambiguous: true,
    principles: ['explicit_coproduction', 'consultation_engagement'],
  },
  {
    name: 'SSWWA official gloss: co-production principle',
    source: 'Law Wales, SSWWA principles (corpus govwales/law.gov.wales_social-services-and-well-being-wales-act-2014.txt)',
    input: { text: 'Co-production – encouraging individuals to become more involved in the design and delivery of services', documentKind: 'other', jurisdiction: 'wales' },
    coproduction: true,
    strength: 'none',
    principles: ['explicit_coproduction', 'design_delivery_involvement'],
  },
  {
    name: 'SSWWA gloss, Welsh twin: cydgynhyrchu',
    source: 'Cyfraith Cymru, SSWWA egwyddorion (corpus govwales/cyfraith.llyw.cymru_deddf-gwasanaethau-cymdeithasol-llesiant-cymru-2014.txt)',
    input: { text: 'Cydgynhyrchu – annog unigolion i gymryd mwy o ran mewn cynllunio a darparu gwasanaethau.', documentKind: 'other', jurisdiction: 'wales', language: 'cy' },
    coproduction: true,
    strength: 'none',
    principles: ['explicit_coproduction', 'design_delivery_involvement'],
  },
  {
    name: 'Patient Participation Group for obtaining views: consultation, not co-production',
    source: 'NHS (General Medical Services Contracts) Regulations 2015 reg.20 (taxonomy §4.2 −, §5.1)',
    input: { text: 'The contractor must establish and maintain a group known as a “Patient Participation Group”, comprising of registered patients, for the purposes of— (a) obtaining the views of patients who have attended the contractor’s practice about the services delivered by the contractor; and (b) enabling the contractor to obtain feedback from its registered patients about those services.', documentKind: 'si' },
    coproduction: false,
    strength: 'none',
    principles: ['consultation_engagement'],
  },
  {
    name: 'self-advocates shaping and evaluating services',
    source: 'SSWWA service user perspectives report (corpus govwales/www.gov.wales_expectations-and-experiences-service-user-and-carer-perspectives-social-services-and-well-being.txt)',
    input: { text: 'All Wales People First’s Hear me! Include me! Respect me! project empowers learning-disabled self-advocates to shape and evaluate services.', documentKind: 'other', jurisdiction: 'wales' },
    coproduction: true,
    strength: 'none',
    principles: ['design_delivery_involvement'],
  },
  // Added with rules 2026.11.25-2: list items read with their lead-in (§9.7, §7.4).
  {
    name: 'SDS s.1(4) item inherits "collaborate with a person" from its lead-in; principles list → qualified_duty',
    source: 'Social Care (Self-directed Support) (Scotland) Act 2013 s.1(4) (taxonomy §2.5, §4.3, §7 qualified_duty note)',
    input: { text: '(a) the assessment of the person’s needs for support;', leadIn: '(4)A local authority must collaborate with a person in relation to—', heading: 'General principles', documentKind: 'act', jurisdiction: 'scotland' },
    coproduction: true,
    strength: 'qualified_duty',
    principles: ['shared_power'],
    reason: 'from the list lead-in',
  },
  {
    name: 'Carers (Scotland) Act s.27(6): "involvement in considering—" carries to its items',
    source: 'Carers (Scotland) Act 2016 s.27(6) (taxonomy §4.2 "involvement in considering what needs …, what services might be provided …")',
    input: { text: '(b)what services might be provided to meet those needs,', leadIn: '(6)“Involvement”, in relation to carer services, includes involvement in considering—', documentKind: 'act', jurisdiction: 'scotland' },
    coproduction: true,
    strength: 'none',
    principles: ['design_delivery_involvement'],
  },
  {
    name: 'a lead-in that only names a theme does not carry: social enterprise definition item on well-being',
    source: 'Social Enterprise, Co-operative and Third Sector (Wales) Regulations 2015 reg.3(c) (taxonomy §2.6, §4.14)',
    input: { text: '(c)it promotes well-being (as defined in Regulation 6).', leadIn: '3. For the purposes of the definition of “social enterprise” in section 16(2) of the Act, an activity is only to be treated as an activity carried on for the benefit of society if—', documentKind: 'si', jurisdiction: 'wales' },
    coproduction: false,
    strength: 'none',
  },
  {
    name: 'reg.3(b) "it involves people" is the s.16 involvement test',
    source: 'Social Enterprise, Co-operative and Third Sector (Wales) Regulations 2015 reg.3(b) (taxonomy §2.6, §4.14 "(an activity) involves people")',
    input: { text: '(b)it involves people (as defined in Regulation 5); and', leadIn: '3. For the purposes of the definition of “social enterprise” in section 16(2) of the Act, an activity is only to be treated as an activity carried on for the benefit of society if—', documentKind: 'si', jurisdiction: 'wales' },
    coproduction: true,
    strength: 'none',
    principles: ['social_economy'],
  },
  // §6.1 audiovisual co-production versus people "as co-producers" of services.
  {
    name: 'official co-production of a programme: domain guard, not the policy sense',
    source: 'HMRC TPC manual style (taxonomy §6.1)',
    input: { text: 'A co-production is a programme that is produced under the terms of an international co-production agreement between two or more countries.', documentKind: 'guidance' },
    coproduction: false,
    strength: 'none',
  },
  {
    name: 'people as co-producers of the services they use',
    source: 'taxonomy §1 A, §4.1 (Cahn: recipients as active partners)',
    input: { text: 'The strategy will enable carers to be involved as co-producers in the delivery of services.', documentKind: 'statement', jurisdiction: 'wales' },
    coproduction: true,
    strength: 'aspiration',
    principles: ['explicit_coproduction', 'design_delivery_involvement'],
  },
  {
    name: 'engagement, participation, involvement, co-production and consultation as interchangeable labels',
    source: 'taxonomy §4.1 − (interchangeable list), E2',
    input: { text: 'Our approach includes engagement, participation, involvement, co-production and consultation.', documentKind: 'guidance' },
    coproduction: false,
    strength: 'none',
  },
  // §4.3 / §8 participatory budgeting.
  {
    name: 'having a say in how money is spent is participatory budgeting, not a consultation cue',
    source: 'taxonomy §3 table (decide: participatory budgeting), §4.3, §8',
    input: { text: 'We will help residents have a say in how public money is spent in their area.', documentKind: 'statement', jurisdiction: 'scotland' },
    coproduction: true,
    strength: 'aspiration',
    principles: ['shared_power'],
  },
  {
    name: 'PB as a tool: participatory budgeting is a decision role even beside "engagement"',
    source: 'taxonomy §3 table (decide: participatory budgeting), §4.3',
    input: { text: 'We support PB as a tool for community engagement and participatory democracy.', documentKind: 'guidance', jurisdiction: 'scotland' },
    coproduction: true,
    strength: 'aspiration',
    principles: ['shared_power'],
  },
  {
    name: 'worked in partnership with the Government only: institution counterparty (E1)',
    source: 'taxonomy §1 E1, §9.2',
    input: { text: 'A participatory budgeting working group has worked with the Scottish Government to shape participatory budgeting policy.', documentKind: 'other' },
    coproduction: false,
    strength: 'none',
  },
  // §2.8, §4.2 phrasings.
  {
    name: 'Care Act guidance definition of co-production (groups influence how services are designed)',
    source: 'Care and Support Statutory Guidance, as quoted by TLAP (taxonomy §2.8)',
    input: { text: 'when groups of people get together to influence the way that services are designed, commissioned and delivered', documentKind: 'guidance', jurisdiction: 'england' },
    coproduction: true,
    strength: 'none',
    principles: ['design_delivery_involvement'],
  },
  {
    name: 'participation of tenants in decisions, under a duty with a subordinate "may direct"',
    source: 'Housing (Scotland) Act 2001 s.53 style (taxonomy §4.2, §7.1: the governing modal, not one in "as the Ministers may direct")',
    input: { text: 'Every landlord must, by such time as the Scottish Ministers may direct, prepare a strategy for promoting the participation of tenants in the formulation of its housing policies.', documentKind: 'act', jurisdiction: 'scotland' },
    coproduction: true,
    strength: 'duty',
    principles: ['design_delivery_involvement'],
  },
  // §7 statements without a modal.
  {
    name: 'statement without a modal is an aspiration',
    source: 'taxonomy §7 table (aspiration: ministerial statements)',
    input: { text: 'I believe the Bill embeds in law a model in which co-production with citizens can flourish.', documentKind: 'statement', jurisdiction: 'wales' },
    coproduction: true,
    strength: 'aspiration',
  },
  {
    name: 'statement reporting past fact is none',
    source: 'taxonomy §7 none row (reports of fact)',
    input: { text: 'During the pandemic the council worked in partnership with people and communities to deliver emergency support.', documentKind: 'statement' },
    coproduction: true,
    strength: 'none',
    principles: ['shared_power'],
  },
  // Compositions (taxonomy §1 B): a role, its object and a person in one sentence, in word orders no fixed phrase lists.
  {
    name: 'design "in conjunction with the people who use them": role after its object',
    source: 'Wales Co-operative Centre blog on the SSWB Bill, 2013 (walescooperative.wordpress.com), taxonomy §1 B',
    input: { text: 'Furthermore, Navigo design its services in conjunction with the people who use them.', documentKind: 'other', jurisdiction: 'england' },
    coproduction: true,
    strength: 'none',
    principles: ['design_delivery_involvement'],
    reason: 'people counterparty',
  },
  {
    name: 'involve people in decision-making, policy creation and service development',
    source: 'RDaSH NHS FT involvement payment policy (rdash.nhs.uk), taxonomy §1 B, §4.3',
    input: { text: 'The trust has a legal duty to involve people in all aspects of its service provision and is committed to developing creative ways to involve people in decision-making, policy creation and service development.', documentKind: 'other', jurisdiction: 'england' },
    coproduction: true,
    strength: 'aspiration',
    principles: ['shared_power'],
  },
  {
    name: 'LGEWA s.39(1): encouraging people to participate in a council\'s decisions is a participation-strategy frame',
    source: 'Local Government and Elections (Wales) Act 2021 s.39(1) (taxonomy §5.1 common legal frames)',
    input: { text: 'A principal council must encourage local people to participate in the making of decisions by the council (including the making of decisions in partnership or in conjunction with any other person).', documentKind: 'act', jurisdiction: 'wales' },
    coproduction: false,
    strength: 'none',
    notPrinciples: ['shared_power'],
  },
  {
    name: 'a Senedd question asks and commits to nothing',
    source: 'First Minister\'s Questions, Senedd, 12 February 2019 (TheyWorkForYou mirror), taxonomy §1 A',
    input: { text: 'How is the Welsh Government co-producing services with the third sector and communities?', documentKind: 'statement', jurisdiction: 'wales' },
    coproduction: false,
    strength: 'none',
    principles: ['explicit_coproduction'],
    reason: 'a question',
  },
  {
    name: 'participatory budgeting names citizens as the deciders: a partner body beside it is not E1',
    source: 'OIDP case study of Scotland\'s Community Choices programme (oidp.net), taxonomy §4.3 participatory budgeting',
    input: { text: 'Included in the 2016/17 programme for government was a commitment from Scottish Government to work in partnership with local government, to have at least 1% of local authority budgets subject to Community Choices budgeting.', documentKind: 'other', jurisdiction: 'scotland' },
    coproduction: true,
    strength: 'none',
    reason: 'citizens are the actors',
  },
];
