import type { Answer, Bank } from "./bank";
import type { PhoneSwitch } from "./phone-switch";
import type { Restaurant } from "./restaurant";
import type { Command, NodeName, Reply } from "./types";
import type { SagaWorld } from "./world";

/**
 * The services as the orchestrator talks to them: each receives commands and answers with replies.
 * The domain objects (Bank, Restaurant, PhoneSwitch) hold the state and the rules; this module only
 * turns messages into calls and answers into messages. Answers that come later (the kitchen decides,
 * a minute ends) are sent on a service timer, so a service crash loses them (the orchestrator asks again).
 */
export interface Services {
  bank: Bank;
  restaurant: Restaurant;
  phoneSwitch: PhoneSwitch;
}

export function serveCommands(world: SagaWorld, services: Services): void {
  world.listen("bank", (m, from) => answerNow(world, "bank", from, m as Command, bankAnswer(services.bank, m as Command)));
  world.listen("restaurant", (m, from) => restaurantCommand(world, services.restaurant, m as Command, from));
  world.listen("switch", (m, from) => switchCommand(world, services.phoneSwitch, m as Command, from));
}

function bankAnswer(bank: Bank, c: Command): Answer {
  const a = c.args;
  switch (c.action) {
    case "hold":
      return bank.hold(c.idempotencyKey, a.holdId!, a.account!, a.amountRupees!, a.payee!);
    case "release":
      return bank.release(c.idempotencyKey, a.holdId!);
    case "capture":
      return bank.capture(c.idempotencyKey, a.holdId!);
    default:
      return { ok: false, outcome: `unknown action ${c.action}` };
  }
}

function restaurantCommand(world: SagaWorld, restaurant: Restaurant, c: Command, from: NodeName): void {
  const orderId = c.args.orderId!;
  switch (c.action) {
    case "request-confirm": {
      const order = restaurant.request(orderId);
      const decided = restaurant.decision(orderId);
      if (decided !== null) return answerNow(world, "restaurant", from, c, decided);
      // The kitchen answers when it has decided (if the restaurant is still up then).
      world.afterVirtual("restaurant", (order.decideAtUs - world.nowUs) / 1000, () => {
        const answer = restaurant.decision(orderId);
        if (answer !== null) answerNow(world, "restaurant", from, c, answer);
      });
      return;
    }
    case "cancel":
      return answerNow(world, "restaurant", from, c, restaurant.cancel(orderId));
    case "check-stock":
      return answerNow(world, "restaurant", from, c, restaurant.checkStock());
    case "reserve":
      return answerNow(world, "restaurant", from, c, restaurant.reserve(orderId));
    case "unreserve":
      return answerNow(world, "restaurant", from, c, restaurant.unreserve(orderId));
  }
}

function switchCommand(world: SagaWorld, phoneSwitch: PhoneSwitch, c: Command, from: NodeName): void {
  if (c.action === "hang-up") return answerNow(world, "switch", from, c, phoneSwitch.hangUp(c.args.callId!));
  const { atUs, answer } = phoneSwitch.minute(c.args.callId!, c.args.minute!);
  if (atUs <= world.nowUs) return answerNow(world, "switch", from, c, answer);
  // Ask again at the minute's end: the call may have been hung up meanwhile.
  world.afterVirtual("switch", (atUs - world.nowUs) / 1000, () => answerNow(world, "switch", from, c, phoneSwitch.minute(c.args.callId!, c.args.minute!).answer));
}

function answerNow(world: SagaWorld, service: NodeName, to: NodeName, c: Command, answer: Answer): void {
  const reply: Reply = { type: "reply", sagaId: c.sagaId, stepId: c.stepId, compensation: c.compensation, action: c.action, ok: answer.ok, outcome: answer.outcome };
  world.send(service, to, reply);
}
