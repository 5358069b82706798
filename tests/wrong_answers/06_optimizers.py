"""Wrong answers learners really write in Chapter 6. Each replaces the
exercise's solution cell; the visible tests alone must reject every one (a
self-paced learner never runs the hidden ones), and the graded tests must take
points away from it."""

WRONG = {
    "sgd_momentum": {
        "adds the velocity before updating it": """
            def sgd_momentum(param, grad, state=None, learning_rate=0.01, momentum=0.9, nesterov=False):
                velocity = np.zeros_like(param) if state is None else state["velocity"]
                new_param = param + velocity
                velocity = momentum * velocity - learning_rate * grad
                return new_param, {"velocity": velocity}
        """,
        "Nesterov flag ignored (plain momentum)": """
            def sgd_momentum(param, grad, state=None, learning_rate=0.01, momentum=0.9, nesterov=False):
                velocity = np.zeros_like(param) if state is None else state["velocity"]
                velocity = momentum * velocity - learning_rate * grad
                return param + velocity, {"velocity": velocity}
        """,
        "velocity climbs the gradient (+ learning_rate * grad)": """
            def sgd_momentum(param, grad, state=None, learning_rate=0.01, momentum=0.9, nesterov=False):
                velocity = np.zeros_like(param) if state is None else state["velocity"]
                velocity = momentum * velocity + learning_rate * grad
                if nesterov:
                    return param + momentum * velocity + learning_rate * grad, {"velocity": velocity}
                return param + velocity, {"velocity": velocity}
        """,
        "Nesterov adds the velocity twice": """
            def sgd_momentum(param, grad, state=None, learning_rate=0.01, momentum=0.9, nesterov=False):
                velocity = np.zeros_like(param) if state is None else state["velocity"]
                velocity = momentum * velocity - learning_rate * grad
                if nesterov:
                    return param + velocity + momentum * velocity, {"velocity": velocity}
                return param + velocity, {"velocity": velocity}
        """,
        "the d2l/PyTorch form (velocity of gradients times today's learning rate)": """
            def sgd_momentum(param, grad, state=None, learning_rate=0.01, momentum=0.9, nesterov=False):
                b = grad if state is None else momentum * state["b"] + grad
                step = grad + momentum * b if nesterov else b
                return param - learning_rate * step, {"b": b}
        """,
        "Nesterov looks ahead with the velocity from before this step (which is plain momentum)": """
            def sgd_momentum(param, grad, state=None, learning_rate=0.01, momentum=0.9, nesterov=False):
                v_prev = np.zeros_like(param) if state is None else state["velocity"]
                velocity = momentum * v_prev - learning_rate * grad
                if nesterov:
                    return param + momentum * v_prev - learning_rate * grad, {"velocity": velocity}
                return param + velocity, {"velocity": velocity}
        """,
        "modifies param in place": """
            def sgd_momentum(param, grad, state=None, learning_rate=0.01, momentum=0.9, nesterov=False):
                velocity = np.zeros_like(param) if state is None else state["velocity"]
                velocity = momentum * velocity - learning_rate * grad
                if nesterov:
                    param += momentum * velocity - learning_rate * grad
                else:
                    param += velocity
                return param, {"velocity": velocity}
        """,
    },
    "adagrad": {
        "textbook form: accumulator from 0, epsilon outside the square root": """
            def adagrad(param, grad, state=None, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7):
                acc = np.zeros_like(param) if state is None else state["accumulator"]
                acc = acc + grad**2
                return param - learning_rate * grad / (np.sqrt(acc) + epsilon), {"accumulator": acc}
        """,
        "epsilon outside the square root": """
            def adagrad(param, grad, state=None, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7):
                acc = np.full_like(param, initial_accumulator_value) if state is None else state["accumulator"]
                acc = acc + grad**2
                return param - learning_rate * grad / (np.sqrt(acc) + epsilon), {"accumulator": acc}
        """,
        "divides by the accumulator before adding the new gradient": """
            def adagrad(param, grad, state=None, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7):
                acc = np.full_like(param, initial_accumulator_value) if state is None else state["accumulator"]
                new_param = param - learning_rate * grad / np.sqrt(acc + epsilon)
                return new_param, {"accumulator": acc + grad**2}
        """,
        "initial_accumulator_value ignored (always 0.1)": """
            def adagrad(param, grad, state=None, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7):
                acc = np.full_like(param, 0.1) if state is None else state["accumulator"]
                acc = acc + grad**2
                return param - learning_rate * grad / np.sqrt(acc + epsilon), {"accumulator": acc}
        """,
        "modifies param in place": """
            def adagrad(param, grad, state=None, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7):
                acc = np.full_like(param, initial_accumulator_value) if state is None else state["accumulator"]
                acc = acc + grad**2
                param -= learning_rate * grad / np.sqrt(acc + epsilon)
                return param, {"accumulator": acc}
        """,
        "no square root": """
            def adagrad(param, grad, state=None, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7):
                acc = np.full_like(param, initial_accumulator_value) if state is None else state["accumulator"]
                acc = acc + grad**2
                return param - learning_rate * grad / (acc + epsilon), {"accumulator": acc}
        """,
    },
    "rmsprop": {
        "decay weights swapped: rho * g^2 + (1 - rho) * v": """
            def rmsprop(param, grad, state=None, learning_rate=0.001, rho=0.9, epsilon=1e-7):
                v = np.zeros_like(param) if state is None else state["velocity"]
                v = rho * grad**2 + (1.0 - rho) * v
                return param - learning_rate * grad / np.sqrt(v + epsilon), {"velocity": v}
        """,
        "epsilon outside the square root (textbook form)": """
            def rmsprop(param, grad, state=None, learning_rate=0.001, rho=0.9, epsilon=1e-7):
                v = np.zeros_like(param) if state is None else state["velocity"]
                v = rho * v + (1.0 - rho) * grad**2
                return param - learning_rate * grad / (np.sqrt(v) + epsilon), {"velocity": v}
        """,
        "accumulates like AdaGrad (no decay of the old average)": """
            def rmsprop(param, grad, state=None, learning_rate=0.001, rho=0.9, epsilon=1e-7):
                v = np.zeros_like(param) if state is None else state["velocity"]
                v = v + (1.0 - rho) * grad**2
                return param - learning_rate * grad / np.sqrt(v + epsilon), {"velocity": v}
        """,
        "modifies param in place": """
            def rmsprop(param, grad, state=None, learning_rate=0.001, rho=0.9, epsilon=1e-7):
                v = np.zeros_like(param) if state is None else state["velocity"]
                v = rho * v + (1.0 - rho) * grad**2
                param -= learning_rate * grad / np.sqrt(v + epsilon)
                return param, {"velocity": v}
        """,
        "averages the gradient, not its square": """
            def rmsprop(param, grad, state=None, learning_rate=0.001, rho=0.9, epsilon=1e-7):
                v = np.zeros_like(param) if state is None else state["velocity"]
                v = rho * v + (1.0 - rho) * np.abs(grad)
                return param - learning_rate * grad / np.sqrt(v + epsilon), {"velocity": v}
        """,
    },
    "adam": {
        "no bias correction": """
            def adam(param, grad, state=None, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
                if state is None:
                    state = {"m": np.zeros_like(param), "v": np.zeros_like(param), "t": 0}
                m = beta_1 * state["m"] + (1.0 - beta_1) * grad
                v = beta_2 * state["v"] + (1.0 - beta_2) * grad**2
                return param - learning_rate * m / (np.sqrt(v) + epsilon), {"m": m, "v": v, "t": state["t"] + 1}
        """,
        "epsilon inside the square root": """
            def adam(param, grad, state=None, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
                if state is None:
                    state = {"m": np.zeros_like(param), "v": np.zeros_like(param), "t": 0}
                t = state["t"] + 1
                m = beta_1 * state["m"] + (1.0 - beta_1) * grad
                v = beta_2 * state["v"] + (1.0 - beta_2) * grad**2
                alpha = learning_rate * np.sqrt(1.0 - beta_2**t) / (1.0 - beta_1**t)
                return param - alpha * m / np.sqrt(v + epsilon), {"m": m, "v": v, "t": t}
        """,
        "textbook epsilon: added to sqrt of the bias-corrected v": """
            def adam(param, grad, state=None, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
                if state is None:
                    state = {"m": np.zeros_like(param), "v": np.zeros_like(param), "t": 0}
                t = state["t"] + 1
                m = beta_1 * state["m"] + (1.0 - beta_1) * grad
                v = beta_2 * state["v"] + (1.0 - beta_2) * grad**2
                m_hat, v_hat = m / (1.0 - beta_1**t), v / (1.0 - beta_2**t)
                return param - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon), {"m": m, "v": v, "t": t}
        """,
        "step counter never advances (t = 1 every step)": """
            def adam(param, grad, state=None, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
                if state is None:
                    state = {"m": np.zeros_like(param), "v": np.zeros_like(param), "t": 0}
                t = 1
                m = beta_1 * state["m"] + (1.0 - beta_1) * grad
                v = beta_2 * state["v"] + (1.0 - beta_2) * grad**2
                alpha = learning_rate * np.sqrt(1.0 - beta_2**t) / (1.0 - beta_1**t)
                return param - alpha * m / (np.sqrt(v) + epsilon), {"m": m, "v": v, "t": t}
        """,
        "modifies param in place": """
            def adam(param, grad, state=None, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
                if state is None:
                    state = {"m": np.zeros_like(param), "v": np.zeros_like(param), "t": 0}
                t = state["t"] + 1
                m = beta_1 * state["m"] + (1.0 - beta_1) * grad
                v = beta_2 * state["v"] + (1.0 - beta_2) * grad**2
                alpha = learning_rate * np.sqrt(1.0 - beta_2**t) / (1.0 - beta_1**t)
                param -= alpha * m / (np.sqrt(v) + epsilon)
                return param, {"m": m, "v": v, "t": t}
        """,
        "betas swapped between the two averages": """
            def adam(param, grad, state=None, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
                if state is None:
                    state = {"m": np.zeros_like(param), "v": np.zeros_like(param), "t": 0}
                t = state["t"] + 1
                m = beta_2 * state["m"] + (1.0 - beta_2) * grad
                v = beta_1 * state["v"] + (1.0 - beta_1) * grad**2
                alpha = learning_rate * np.sqrt(1.0 - beta_1**t) / (1.0 - beta_2**t)
                return param - alpha * m / (np.sqrt(v) + epsilon), {"m": m, "v": v, "t": t}
        """,
    },
    "nadam": {
        "legacy tf.keras / PyTorch momentum schedule 0.96**(0.004 * t)": """
            def nadam(param, grad, state=None, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
                if state is None:
                    state = {"m": np.zeros_like(param), "v": np.zeros_like(param), "u_product": 1.0, "t": 0}
                t = state["t"] + 1
                u_t = beta_1 * (1.0 - 0.5 * 0.96 ** (0.004 * t))
                u_next = beta_1 * (1.0 - 0.5 * 0.96 ** (0.004 * (t + 1)))
                u_product = state["u_product"] * u_t
                m = beta_1 * state["m"] + (1.0 - beta_1) * grad
                v = beta_2 * state["v"] + (1.0 - beta_2) * grad**2
                m_hat = u_next * m / (1.0 - u_product * u_next) + (1.0 - u_t) * grad / (1.0 - u_product)
                v_hat = v / (1.0 - beta_2**t)
                return param - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon), {"m": m, "v": v, "u_product": u_product, "t": t}
        """,
        "the product U_t not carried between steps (U_t = u_t)": """
            def nadam(param, grad, state=None, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
                if state is None:
                    state = {"m": np.zeros_like(param), "v": np.zeros_like(param), "t": 0}
                t = state["t"] + 1
                u_t = beta_1 * (1.0 - 0.5 * 0.96**t)
                u_next = beta_1 * (1.0 - 0.5 * 0.96 ** (t + 1))
                u_product = u_t
                m = beta_1 * state["m"] + (1.0 - beta_1) * grad
                v = beta_2 * state["v"] + (1.0 - beta_2) * grad**2
                m_hat = u_next * m / (1.0 - u_product * u_next) + (1.0 - u_t) * grad / (1.0 - u_product)
                v_hat = v / (1.0 - beta_2**t)
                return param - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon), {"m": m, "v": v, "t": t}
        """,
        "constant momentum beta_1 in m_hat (Adam-style bias correction)": """
            def nadam(param, grad, state=None, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
                if state is None:
                    state = {"m": np.zeros_like(param), "v": np.zeros_like(param), "t": 0}
                t = state["t"] + 1
                m = beta_1 * state["m"] + (1.0 - beta_1) * grad
                v = beta_2 * state["v"] + (1.0 - beta_2) * grad**2
                m_hat = beta_1 * m / (1.0 - beta_1 ** (t + 1)) + (1.0 - beta_1) * grad / (1.0 - beta_1**t)
                v_hat = v / (1.0 - beta_2**t)
                return param - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon), {"m": m, "v": v, "t": t}
        """,
        "first term divided by 1 - U_t instead of 1 - U_t * u_(t+1)": """
            def nadam(param, grad, state=None, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
                if state is None:
                    state = {"m": np.zeros_like(param), "v": np.zeros_like(param), "u_product": 1.0, "t": 0}
                t = state["t"] + 1
                u_t = beta_1 * (1.0 - 0.5 * 0.96**t)
                u_next = beta_1 * (1.0 - 0.5 * 0.96 ** (t + 1))
                u_product = state["u_product"] * u_t
                m = beta_1 * state["m"] + (1.0 - beta_1) * grad
                v = beta_2 * state["v"] + (1.0 - beta_2) * grad**2
                m_hat = u_next * m / (1.0 - u_product) + (1.0 - u_t) * grad / (1.0 - u_product)
                v_hat = v / (1.0 - beta_2**t)
                return param - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon), {"m": m, "v": v, "u_product": u_product, "t": t}
        """,
        "epsilon inside the square root": """
            def nadam(param, grad, state=None, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
                if state is None:
                    state = {"m": np.zeros_like(param), "v": np.zeros_like(param), "u_product": 1.0, "t": 0}
                t = state["t"] + 1
                u_t = beta_1 * (1.0 - 0.5 * 0.96**t)
                u_next = beta_1 * (1.0 - 0.5 * 0.96 ** (t + 1))
                u_product = state["u_product"] * u_t
                m = beta_1 * state["m"] + (1.0 - beta_1) * grad
                v = beta_2 * state["v"] + (1.0 - beta_2) * grad**2
                m_hat = u_next * m / (1.0 - u_product * u_next) + (1.0 - u_t) * grad / (1.0 - u_product)
                v_hat = v / (1.0 - beta_2**t)
                return param - learning_rate * m_hat / np.sqrt(v_hat + epsilon), {"m": m, "v": v, "u_product": u_product, "t": t}
        """,
        "v not bias-corrected": """
            def nadam(param, grad, state=None, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
                if state is None:
                    state = {"m": np.zeros_like(param), "v": np.zeros_like(param), "u_product": 1.0, "t": 0}
                t = state["t"] + 1
                u_t = beta_1 * (1.0 - 0.5 * 0.96**t)
                u_next = beta_1 * (1.0 - 0.5 * 0.96 ** (t + 1))
                u_product = state["u_product"] * u_t
                m = beta_1 * state["m"] + (1.0 - beta_1) * grad
                v = beta_2 * state["v"] + (1.0 - beta_2) * grad**2
                m_hat = u_next * m / (1.0 - u_product * u_next) + (1.0 - u_t) * grad / (1.0 - u_product)
                return param - learning_rate * m_hat / (np.sqrt(v) + epsilon), {"m": m, "v": v, "u_product": u_product, "t": t}
        """,
        "modifies param in place": """
            def nadam(param, grad, state=None, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
                if state is None:
                    state = {"m": np.zeros_like(param), "v": np.zeros_like(param), "u_product": 1.0, "t": 0}
                t = state["t"] + 1
                u_t = beta_1 * (1.0 - 0.5 * 0.96**t)
                u_next = beta_1 * (1.0 - 0.5 * 0.96 ** (t + 1))
                u_product = state["u_product"] * u_t
                m = beta_1 * state["m"] + (1.0 - beta_1) * grad
                v = beta_2 * state["v"] + (1.0 - beta_2) * grad**2
                m_hat = u_next * m / (1.0 - u_product * u_next) + (1.0 - u_t) * grad / (1.0 - u_product)
                v_hat = v / (1.0 - beta_2**t)
                param -= learning_rate * m_hat / (np.sqrt(v_hat) + epsilon)
                return param, {"m": m, "v": v, "u_product": u_product, "t": t}
        """,
    },
    "adamax": {
        "PyTorch's epsilon placement: max(beta_2 * u, |g| + epsilon)": """
            def adamax(param, grad, state=None, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
                if state is None:
                    state = {"m": np.zeros_like(param), "u": np.zeros_like(param), "t": 0}
                t = state["t"] + 1
                m = beta_1 * state["m"] + (1.0 - beta_1) * grad
                u = np.maximum(beta_2 * state["u"], np.abs(grad) + epsilon)
                return param - learning_rate * m / ((1.0 - beta_1**t) * u), {"m": m, "u": u, "t": t}
        """,
        "u never decays: max(u, |g|)": """
            def adamax(param, grad, state=None, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
                if state is None:
                    state = {"m": np.zeros_like(param), "u": np.zeros_like(param), "t": 0}
                t = state["t"] + 1
                m = beta_1 * state["m"] + (1.0 - beta_1) * grad
                u = np.maximum(state["u"], np.abs(grad))
                return param - learning_rate * m / ((1.0 - beta_1**t) * (u + epsilon)), {"m": m, "u": u, "t": t}
        """,
        "no absolute value: max(beta_2 * u, g)": """
            def adamax(param, grad, state=None, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
                if state is None:
                    state = {"m": np.zeros_like(param), "u": np.zeros_like(param), "t": 0}
                t = state["t"] + 1
                m = beta_1 * state["m"] + (1.0 - beta_1) * grad
                u = np.maximum(beta_2 * state["u"], grad)
                return param - learning_rate * m / ((1.0 - beta_1**t) * (u + epsilon)), {"m": m, "u": u, "t": t}
        """,
        "no bias correction": """
            def adamax(param, grad, state=None, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
                if state is None:
                    state = {"m": np.zeros_like(param), "u": np.zeros_like(param), "t": 0}
                m = beta_1 * state["m"] + (1.0 - beta_1) * grad
                u = np.maximum(beta_2 * state["u"], np.abs(grad))
                return param - learning_rate * m / (u + epsilon), {"m": m, "u": u, "t": state["t"] + 1}
        """,
        "an average of |g| instead of a maximum": """
            def adamax(param, grad, state=None, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
                if state is None:
                    state = {"m": np.zeros_like(param), "u": np.zeros_like(param), "t": 0}
                t = state["t"] + 1
                m = beta_1 * state["m"] + (1.0 - beta_1) * grad
                u = beta_2 * state["u"] + (1.0 - beta_2) * np.abs(grad)
                return param - learning_rate * m / ((1.0 - beta_1**t) * (u + epsilon)), {"m": m, "u": u, "t": t}
        """,
        "epsilon added to the bias-corrected norm: (1 - beta_1**t) * u + epsilon": """
            def adamax(param, grad, state=None, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
                if state is None:
                    state = {"m": np.zeros_like(param), "u": np.zeros_like(param), "t": 0}
                t = state["t"] + 1
                m = beta_1 * state["m"] + (1.0 - beta_1) * grad
                u = np.maximum(beta_2 * state["u"], np.abs(grad))
                return param - learning_rate * m / ((1.0 - beta_1**t) * u + epsilon), {"m": m, "u": u, "t": t}
        """,
        "modifies param in place": """
            def adamax(param, grad, state=None, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
                if state is None:
                    state = {"m": np.zeros_like(param), "u": np.zeros_like(param), "t": 0}
                t = state["t"] + 1
                m = beta_1 * state["m"] + (1.0 - beta_1) * grad
                u = np.maximum(beta_2 * state["u"], np.abs(grad))
                param -= learning_rate * m / ((1.0 - beta_1**t) * (u + epsilon))
                return param, {"m": m, "u": u, "t": t}
        """,
    },
    "adamw": {
        "L2 penalty added to the gradient (Adam with L2, not AdamW)": """
            def adamw(param, grad, state=None, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
                return adam(param, grad + weight_decay * param, state, learning_rate=learning_rate,
                            beta_1=beta_1, beta_2=beta_2, epsilon=epsilon)
        """,
        "decays after the Adam step": """
            def adamw(param, grad, state=None, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
                new_param, state = adam(param, grad, state, learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon)
                return new_param - learning_rate * weight_decay * new_param, state
        """,
        "decay not scaled by the learning rate (the paper's convention)": """
            def adamw(param, grad, state=None, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
                return adam(param - weight_decay * param, grad, state, learning_rate=learning_rate,
                            beta_1=beta_1, beta_2=beta_2, epsilon=epsilon)
        """,
        "weight_decay ignored (plain Adam)": """
            def adamw(param, grad, state=None, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
                return adam(param, grad, state, learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon)
        """,
        "forwards only the learning rate (other hyperparameters dropped)": """
            def adamw(param, grad, state=None, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
                return adam(param - learning_rate * weight_decay * param, grad, state, learning_rate=learning_rate)
        """,
    },
    "cosine_decay": {
        "no clamp: the cosine rises again after decay_steps": """
            def cosine_decay(step, initial_learning_rate, decay_steps, alpha=0.0, warmup_target=None, warmup_steps=0):
                if warmup_target is None:
                    peak, t = initial_learning_rate, step
                else:
                    if step < warmup_steps:
                        return initial_learning_rate + (warmup_target - initial_learning_rate) * step / warmup_steps
                    peak, t = warmup_target, step - warmup_steps
                return float(peak * ((1.0 - alpha) * 0.5 * (1.0 + math.cos(math.pi * t / decay_steps)) + alpha))
        """,
        "alpha as an absolute learning rate": """
            def cosine_decay(step, initial_learning_rate, decay_steps, alpha=0.0, warmup_target=None, warmup_steps=0):
                if warmup_target is None:
                    peak, t = initial_learning_rate, min(step, decay_steps)
                else:
                    if step < warmup_steps:
                        return initial_learning_rate + (warmup_target - initial_learning_rate) * step / warmup_steps
                    peak, t = warmup_target, min(step - warmup_steps, decay_steps)
                return float(peak * (1.0 - alpha) * 0.5 * (1.0 + math.cos(math.pi * t / decay_steps)) + alpha)
        """,
        "cosine clock not shifted by the warm-up": """
            def cosine_decay(step, initial_learning_rate, decay_steps, alpha=0.0, warmup_target=None, warmup_steps=0):
                if warmup_target is None:
                    peak = initial_learning_rate
                else:
                    if step < warmup_steps:
                        return initial_learning_rate + (warmup_target - initial_learning_rate) * step / warmup_steps
                    peak = warmup_target
                t = min(step, decay_steps)
                return float(peak * ((1.0 - alpha) * 0.5 * (1.0 + math.cos(math.pi * t / decay_steps)) + alpha))
        """,
        "alpha taken as a fraction of initial_learning_rate, not of the peak, after a warm-up": """
            def cosine_decay(step, initial_learning_rate, decay_steps, alpha=0.0, warmup_target=None, warmup_steps=0):
                if warmup_target is None:
                    peak, t = initial_learning_rate, min(step, decay_steps)
                else:
                    if step < warmup_steps:
                        return initial_learning_rate + (warmup_target - initial_learning_rate) * step / warmup_steps
                    peak, t = warmup_target, min(step - warmup_steps, decay_steps)
                cosine = 0.5 * (1.0 + math.cos(math.pi * t / decay_steps))
                return float(peak * (1.0 - alpha) * cosine + alpha * initial_learning_rate)
        """,
        "warm-up always starts from 0": """
            def cosine_decay(step, initial_learning_rate, decay_steps, alpha=0.0, warmup_target=None, warmup_steps=0):
                if warmup_target is None:
                    peak, t = initial_learning_rate, min(step, decay_steps)
                else:
                    if step < warmup_steps:
                        return warmup_target * step / warmup_steps
                    peak, t = warmup_target, min(step - warmup_steps, decay_steps)
                return float(peak * ((1.0 - alpha) * 0.5 * (1.0 + math.cos(math.pi * t / decay_steps)) + alpha))
        """,
    },
    "CourseAdam": {
        "no bias correction": """
            ops = keras.ops

            class CourseAdam(keras.optimizers.Optimizer):
                def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, name="course_adam", **kwargs):
                    super().__init__(learning_rate=learning_rate, name=name, **kwargs)
                    self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon

                def build(self, variables):
                    if self.built:
                        return
                    super().build(variables)
                    self._m = [self.add_variable_from_reference(v, "m") for v in variables]
                    self._v = [self.add_variable_from_reference(v, "v") for v in variables]

                def update_step(self, gradient, variable, learning_rate):
                    lr = ops.cast(learning_rate, variable.dtype)
                    g = ops.cast(gradient, variable.dtype)
                    i = self._get_variable_index(variable)
                    m, v = self._m[i], self._v[i]
                    self.assign(m, self.beta_1 * m + (1 - self.beta_1) * g)
                    self.assign(v, self.beta_2 * v + (1 - self.beta_2) * ops.square(g))
                    self.assign_sub(variable, lr * m / (ops.sqrt(v) + self.epsilon))
        """,
        "epsilon inside the square root": """
            ops = keras.ops

            class CourseAdam(keras.optimizers.Optimizer):
                def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, name="course_adam", **kwargs):
                    super().__init__(learning_rate=learning_rate, name=name, **kwargs)
                    self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon

                def build(self, variables):
                    if self.built:
                        return
                    super().build(variables)
                    self._m = [self.add_variable_from_reference(v, "m") for v in variables]
                    self._v = [self.add_variable_from_reference(v, "v") for v in variables]

                def update_step(self, gradient, variable, learning_rate):
                    dtype = variable.dtype
                    lr = ops.cast(learning_rate, dtype)
                    g = ops.cast(gradient, dtype)
                    t = ops.cast(self.iterations + 1, dtype)
                    i = self._get_variable_index(variable)
                    m, v = self._m[i], self._v[i]
                    self.assign(m, self.beta_1 * m + (1 - self.beta_1) * g)
                    self.assign(v, self.beta_2 * v + (1 - self.beta_2) * ops.square(g))
                    alpha = lr * ops.sqrt(1 - ops.power(self.beta_2, t)) / (1 - ops.power(self.beta_1, t))
                    self.assign_sub(variable, alpha * m / ops.sqrt(v + self.epsilon))
        """,
        "step counter off by one (t = self.iterations, 0 on the first step)": """
            ops = keras.ops

            class CourseAdam(keras.optimizers.Optimizer):
                def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, name="course_adam", **kwargs):
                    super().__init__(learning_rate=learning_rate, name=name, **kwargs)
                    self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon

                def build(self, variables):
                    if self.built:
                        return
                    super().build(variables)
                    self._m = [self.add_variable_from_reference(v, "m") for v in variables]
                    self._v = [self.add_variable_from_reference(v, "v") for v in variables]

                def update_step(self, gradient, variable, learning_rate):
                    dtype = variable.dtype
                    lr = ops.cast(learning_rate, dtype)
                    g = ops.cast(gradient, dtype)
                    t = ops.cast(self.iterations, dtype)
                    i = self._get_variable_index(variable)
                    m, v = self._m[i], self._v[i]
                    self.assign(m, self.beta_1 * m + (1 - self.beta_1) * g)
                    self.assign(v, self.beta_2 * v + (1 - self.beta_2) * ops.square(g))
                    alpha = lr * ops.sqrt(1 - ops.power(self.beta_2, t)) / (1 - ops.power(self.beta_1, t))
                    self.assign_sub(variable, alpha * m / (ops.sqrt(v) + self.epsilon))
        """,
        "one slot list for both moments (m and v share variables)": """
            ops = keras.ops

            class CourseAdam(keras.optimizers.Optimizer):
                def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, name="course_adam", **kwargs):
                    super().__init__(learning_rate=learning_rate, name=name, **kwargs)
                    self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon

                def build(self, variables):
                    if self.built:
                        return
                    super().build(variables)
                    self._m = [self.add_variable_from_reference(v, "m") for v in variables]
                    self._v = self._m

                def update_step(self, gradient, variable, learning_rate):
                    dtype = variable.dtype
                    lr = ops.cast(learning_rate, dtype)
                    g = ops.cast(gradient, dtype)
                    t = ops.cast(self.iterations + 1, dtype)
                    i = self._get_variable_index(variable)
                    m, v = self._m[i], self._v[i]
                    self.assign(m, self.beta_1 * m + (1 - self.beta_1) * g)
                    self.assign(v, self.beta_2 * v + (1 - self.beta_2) * ops.square(g))
                    alpha = lr * ops.sqrt(1 - ops.power(self.beta_2, t)) / (1 - ops.power(self.beta_1, t))
                    self.assign_sub(variable, alpha * m / (ops.sqrt(ops.abs(v)) + self.epsilon))
        """,
        "ignores the learning_rate argument (fixed 0.001)": """
            ops = keras.ops

            class CourseAdam(keras.optimizers.Optimizer):
                def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, name="course_adam", **kwargs):
                    super().__init__(learning_rate=learning_rate, name=name, **kwargs)
                    self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon

                def build(self, variables):
                    if self.built:
                        return
                    super().build(variables)
                    self._m = [self.add_variable_from_reference(v, "m") for v in variables]
                    self._v = [self.add_variable_from_reference(v, "v") for v in variables]

                def update_step(self, gradient, variable, learning_rate):
                    dtype = variable.dtype
                    g = ops.cast(gradient, dtype)
                    t = ops.cast(self.iterations + 1, dtype)
                    i = self._get_variable_index(variable)
                    m, v = self._m[i], self._v[i]
                    self.assign(m, self.beta_1 * m + (1 - self.beta_1) * g)
                    self.assign(v, self.beta_2 * v + (1 - self.beta_2) * ops.square(g))
                    alpha = 0.001 * ops.sqrt(1 - ops.power(self.beta_2, t)) / (1 - ops.power(self.beta_1, t))
                    self.assign_sub(variable, alpha * m / (ops.sqrt(v) + self.epsilon))
        """,
    },
}
