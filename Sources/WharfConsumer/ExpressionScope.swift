import WharfExpression

/// What the consumer's expressions see, for tools that evaluate them outside a consumer
/// (`wharf expr --message`): the message object's fields, and the object as `response`.
public enum ConsumerExpressionScope {
    public static func scope(forMessage object: FEELValue) -> FEELValue { MessageObject.scope(object) }
}
