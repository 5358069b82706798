"""Correct answers to Chapter 6 written differently from the answer key, as a
strong learner would honestly write them. Each replaces the exercise's
solution cell and must score full marks under the full graded tests (visible
and hidden), without writing to stderr."""

RIGHT = {
    "sgd_momentum": {
        "the velocity under another key, updated in place in the rule's own state; Nesterov expanded to mu**2 * v_prev - (1 + mu) * lr * g": """
            def sgd_momentum(param, grad, state=None, learning_rate=0.01, momentum=0.9, nesterov=False):
                if state is None:
                    state = {"v": np.zeros(np.shape(param))}
                v_prev = state["v"].copy()
                state["v"] *= momentum
                state["v"] -= learning_rate * grad
                if nesterov:
                    return param + momentum**2 * v_prev - (1 + momentum) * learning_rate * grad, state
                return param + state["v"], state
        """,
        "the velocity starts as the scalar 0.0 (broadcasts), the step is chosen first and added once": """
            def sgd_momentum(param, grad, state=None, learning_rate=0.01, momentum=0.9, nesterov=False):
                old = 0.0 if state is None else state["velocity"]
                new_velocity = momentum * old - learning_rate * grad
                step = momentum * new_velocity - learning_rate * grad if nesterov else new_velocity
                return param + step, {"velocity": new_velocity}
        """,
    },
    "adagrad": {
        "the accumulator updated in place in the rule's own state, the root written as ** 0.5": """
            def adagrad(param, grad, state=None, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7):
                if state is None:
                    state = {"sum_of_squares": np.full(np.shape(param), float(initial_accumulator_value))}
                state["sum_of_squares"] += grad * grad
                return param - learning_rate * grad / (state["sum_of_squares"] + epsilon) ** 0.5, state
        """,
        "learning rate divided by the root first, then times the gradient; np.square and np.add": """
            def adagrad(param, grad, state=None, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7):
                a = initial_accumulator_value + np.zeros_like(param) if state is None else state["a"]
                a = np.add(a, np.square(grad))
                scale = learning_rate / np.sqrt(a + epsilon)
                return param - scale * grad, {"a": a}
        """,
    },
    "rmsprop": {
        "Keras's own update form v += (1 - rho) * (g**2 - v), under another key": """
            def rmsprop(param, grad, state=None, learning_rate=0.001, rho=0.9, epsilon=1e-7):
                ms = np.zeros_like(param) if state is None else state["mean_square"]
                ms = ms + (1 - rho) * (np.square(grad) - ms)
                return param - learning_rate * grad / np.sqrt(ms + epsilon), {"mean_square": ms}
        """,
        "the average updated in place in the rule's own state; np.divide": """
            def rmsprop(param, grad, state=None, learning_rate=0.001, rho=0.9, epsilon=1e-7):
                if state is None:
                    state = {"v": np.zeros(np.shape(param))}
                state["v"] *= rho
                state["v"] += (1.0 - rho) * grad * grad
                return param - np.divide(learning_rate * grad, np.sqrt(state["v"] + epsilon)), state
        """,
    },
    "adam": {
        "the bias-corrected averages m_hat, v_hat with epsilon / sqrt(1 - beta_2**t) added to sqrt(v_hat): algebraically Keras's formula": """
            def adam(param, grad, state=None, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
                m, v, t = (0.0, 0.0, 0) if state is None else (state["m"], state["v"], state["t"])
                t += 1
                m = beta_1 * m + (1 - beta_1) * grad
                v = beta_2 * v + (1 - beta_2) * grad**2
                m_hat = m / (1 - beta_1**t)
                v_hat = v / (1 - beta_2**t)
                epsilon_hat = epsilon / np.sqrt(1 - beta_2**t)
                return param - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon_hat), {"m": m, "v": v, "t": t}
        """,
        "Keras's adam.py form (assign_add-style moments), keys momentum/velocity/iterations": """
            def adam(param, grad, state=None, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
                if state is None:
                    state = {"momentum": np.zeros_like(param), "velocity": np.zeros_like(param), "iterations": 0}
                local_step = state["iterations"] + 1
                m = state["momentum"] + (grad - state["momentum"]) * (1 - beta_1)
                v = state["velocity"] + (np.square(grad) - state["velocity"]) * (1 - beta_2)
                alpha = learning_rate * np.sqrt(1 - np.power(beta_2, local_step)) / (1 - np.power(beta_1, local_step))
                new_param = param - (m * alpha) / (np.sqrt(v) + epsilon)
                return new_param, {"momentum": m, "velocity": v, "iterations": local_step}
        """,
    },
    "nadam": {
        "a helper for the schedule u(k), U_(t+1) computed first, state keys m1/m2/U/step": """
            def nadam(param, grad, state=None, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
                def u(k):
                    return beta_1 * (1 - 0.5 * 0.96**k)

                if state is None:
                    state = {"m1": 0.0, "m2": 0.0, "U": 1.0, "step": 0}
                t = state["step"] + 1
                U_t = state["U"] * u(t)
                U_next = U_t * u(t + 1)
                m1 = beta_1 * state["m1"] + (1 - beta_1) * grad
                m2 = beta_2 * state["m2"] + (1 - beta_2) * grad * grad
                m_hat = u(t + 1) / (1 - U_next) * m1 + (1 - u(t)) / (1 - U_t) * grad
                denominator = np.sqrt(m2 / (1 - beta_2**t)) + epsilon
                return param - learning_rate * m_hat / denominator, {"m1": m1, "m2": m2, "U": U_t, "step": t}
        """,
        "Keras's nadam.py form: assign_add-style moments, u_product_t_1 named, np.power": """
            def nadam(param, grad, state=None, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
                if state is None:
                    state = {"momentum": np.zeros_like(param), "velocity": np.zeros_like(param), "u_product": 1.0, "iterations": 0}
                local_step, next_step = state["iterations"] + 1, state["iterations"] + 2
                u_t = beta_1 * (1.0 - 0.5 * np.power(0.96, local_step))
                u_t_1 = beta_1 * (1.0 - 0.5 * np.power(0.96, next_step))
                u_product_t = state["u_product"] * u_t
                u_product_t_1 = u_product_t * u_t_1
                m = state["momentum"] + (grad - state["momentum"]) * (1 - beta_1)
                v = state["velocity"] + (np.square(grad) - state["velocity"]) * (1 - beta_2)
                m_hat = u_t_1 * m / (1 - u_product_t_1) + (1 - u_t) * grad / (1 - u_product_t)
                v_hat = v / (1 - np.power(beta_2, local_step))
                new_param = param - m_hat * learning_rate / (np.sqrt(v_hat) + epsilon)
                return new_param, {"momentum": m, "velocity": v, "u_product": u_product_t, "iterations": local_step}
        """,
    },
    "adamax": {
        "the state updated in place (np.maximum with out=), the step as lr / (1 - beta_1**t) * m / (u + eps)": """
            def adamax(param, grad, state=None, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
                if state is None:
                    state = {"m": np.zeros(np.shape(param)), "norm": np.zeros(np.shape(param)), "t": 0}
                state["t"] += 1
                state["m"] *= beta_1
                state["m"] += (1 - beta_1) * grad
                state["norm"] *= beta_2
                np.maximum(state["norm"], np.abs(grad), out=state["norm"])
                step_size = learning_rate / (1 - beta_1 ** state["t"])
                return param - step_size * state["m"] / (state["norm"] + epsilon), state
        """,
        "Keras's adamax.py form: m += (g - m) * (1 - beta_1), np.fmax, other state keys": """
            def adamax(param, grad, state=None, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
                if state is None:
                    state = {"momentum": np.zeros_like(param), "infinity_norm": np.zeros_like(param), "iterations": 0}
                t = state["iterations"] + 1
                m = state["momentum"] + (grad - state["momentum"]) * (1 - beta_1)
                u = np.fmax(beta_2 * state["infinity_norm"], np.abs(grad))
                new_param = param - (learning_rate * m) / ((1 - beta_1**t) * (u + epsilon))
                return new_param, {"momentum": m, "infinity_norm": u, "iterations": t}
        """,
    },
    "adamw": {
        "AdamW written out in full (no call to adam), with its own state keys": """
            def adamw(param, grad, state=None, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
                if state is None:
                    state = {"first": np.zeros_like(param), "second": np.zeros_like(param), "step": 0}
                decayed = param * (1 - learning_rate * weight_decay)
                t = state["step"] + 1
                m = beta_1 * state["first"] + (1 - beta_1) * grad
                v = beta_2 * state["second"] + (1 - beta_2) * grad * grad
                alpha = learning_rate * (1 - beta_2**t) ** 0.5 / (1 - beta_1**t)
                return decayed - alpha * m / (v**0.5 + epsilon), {"first": m, "second": v, "step": t}
        """,
        "Adam's step does not depend on param, so taking the step first and then subtracting the decay of the OLD param is the same update": """
            def adamw(param, grad, state=None, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
                stepped, state = adam(param, grad, state, learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon)
                return stepped - learning_rate * weight_decay * param, state
        """,
        "the decay as a factor, adam called with every hyperparameter by keyword in another order": """
            def adamw(param, grad, state=None, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
                shrunk = (1.0 - weight_decay * learning_rate) * param
                new_param, new_state = adam(shrunk, grad, state, epsilon=epsilon, beta_2=beta_2, beta_1=beta_1, learning_rate=learning_rate)
                return new_param, new_state
        """,
    },
    "cosine_decay": {
        "Keras's own structure: warm-up as delta * fraction + initial, NumPy's clip and cos, a NumPy float returned": """
            def cosine_decay(step, initial_learning_rate, decay_steps, alpha=0.0, warmup_target=None, warmup_steps=0):
                if warmup_target is not None and step < warmup_steps:
                    completed_fraction = step / warmup_steps
                    total_step_delta = warmup_target - initial_learning_rate
                    return total_step_delta * completed_fraction + initial_learning_rate
                decay_from = initial_learning_rate if warmup_target is None else warmup_target
                start = 0 if warmup_target is None else warmup_steps
                fraction = np.clip(step - start, 0, decay_steps) / decay_steps
                decayed = (1 - alpha) * 0.5 * (1 + np.cos(np.pi * fraction)) + alpha
                return decay_from * decayed
        """,
        "the floor written as alpha * peak plus the decaying part, one if/elif chain": """
            def cosine_decay(step, initial_learning_rate, decay_steps, alpha=0.0, warmup_target=None, warmup_steps=0):
                if warmup_target is None:
                    peak, since = initial_learning_rate, step
                elif step < warmup_steps:
                    return initial_learning_rate + step * (warmup_target - initial_learning_rate) / warmup_steps
                else:
                    peak, since = warmup_target, step - warmup_steps
                if since >= decay_steps:
                    return alpha * peak
                return alpha * peak + (1 - alpha) * peak * (1 + math.cos(math.pi * since / decay_steps)) / 2
        """,
    },
    "CourseAdam": {
        "Keras 3.15's own adam.py: add_optimizer_variables and ops.multiply/ops.subtract updates": """
            ops = keras.ops


            class CourseAdam(keras.optimizers.Optimizer):
                def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, name="course_adam", **kwargs):
                    super().__init__(learning_rate=learning_rate, name=name, **kwargs)
                    self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon

                def build(self, variables):
                    if self.built:
                        return
                    super().build(variables)
                    self._momentums, self._velocities = self.add_optimizer_variables(variables, ["momentum", "velocity"])

                def update_step(self, gradient, variable, learning_rate):
                    lr = ops.cast(learning_rate, variable.dtype)
                    gradient = ops.cast(gradient, variable.dtype)
                    local_step = ops.cast(self.iterations + 1, variable.dtype)
                    beta_1_power = ops.power(ops.cast(self.beta_1, variable.dtype), local_step)
                    beta_2_power = ops.power(ops.cast(self.beta_2, variable.dtype), local_step)
                    m = self._momentums[self._get_variable_index(variable)]
                    v = self._velocities[self._get_variable_index(variable)]
                    alpha = lr * ops.sqrt(1 - beta_2_power) / (1 - beta_1_power)
                    self.assign_add(m, ops.multiply(ops.subtract(gradient, m), 1 - self.beta_1))
                    self.assign_add(v, ops.multiply(ops.subtract(ops.square(gradient), v), 1 - self.beta_2))
                    self.assign_sub(variable, ops.divide(ops.multiply(m, alpha), ops.add(ops.sqrt(v), self.epsilon)))
        """,
        "bias-corrected m_hat and v_hat with epsilon-hat = epsilon / sqrt(1 - beta_2**t), other slot names, self.assign for the moments": """
            ops = keras.ops


            class CourseAdam(keras.optimizers.Optimizer):
                def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, name="course_adam", **kwargs):
                    super().__init__(learning_rate=learning_rate, name=name, **kwargs)
                    self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon

                def build(self, variables):
                    if self.built:
                        return
                    super().build(variables)
                    self._first = [self.add_variable_from_reference(v, "first_moment") for v in variables]
                    self._second = [self.add_variable_from_reference(v, "second_moment") for v in variables]

                def update_step(self, gradient, variable, learning_rate):
                    dtype = variable.dtype
                    index = self._get_variable_index(variable)
                    m, v = self._first[index], self._second[index]
                    g = ops.cast(gradient, dtype)
                    t = ops.cast(self.iterations + 1, dtype)
                    self.assign(m, self.beta_1 * m + (1 - self.beta_1) * g)
                    self.assign(v, self.beta_2 * v + (1 - self.beta_2) * g * g)
                    correction_1 = 1 - ops.power(ops.cast(self.beta_1, dtype), t)
                    correction_2 = 1 - ops.power(ops.cast(self.beta_2, dtype), t)
                    m_hat, v_hat = m / correction_1, v / correction_2
                    epsilon_hat = self.epsilon / ops.sqrt(correction_2)
                    self.assign_sub(variable, ops.cast(learning_rate, dtype) * m_hat / (ops.sqrt(v_hat) + epsilon_hat))
        """,
    },
}
